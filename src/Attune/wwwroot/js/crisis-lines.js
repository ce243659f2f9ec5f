// The crisis-lines page: typing a country or a service's name narrows the list, and a single match
// opens. Without this script every country is listed, closed, in alphabetical order.
(() => {
  "use strict";
  const box = document.querySelector("[data-country-search]");
  const list = document.querySelector("[data-country-list]");
  if (!box || !list) return;
  box.hidden = false;
  const input = box.querySelector("input");
  const count = box.querySelector("[role=status]");
  const items = [...list.querySelectorAll("[data-country]")];
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  input.addEventListener("input", () => {
    const q = fold(input.value.trim());
    let shown = 0;
    items.forEach((li) => {
      const match = q === "" || fold(li.dataset.country).includes(q);
      li.hidden = !match;
      if (match) shown += 1;
    });
    items.forEach((li) => { li.querySelector("details").open = q !== "" && shown === 1 && !li.hidden; });
    count.textContent = q === "" ? "" : shown === 0 ? "No country matches. The services under Anywhere can help you find one." : `${shown} ${shown === 1 ? "country" : "countries"}`;
  });
})();
