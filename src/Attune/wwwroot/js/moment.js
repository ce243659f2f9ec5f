// The in-the-moment flow, one step at a time. Without this script every step shows at once and
// the form still works. Focus moves to each step's heading so a screen reader hears where it is.
(() => {
  "use strict";
  const form = document.querySelector("[data-moment]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("[data-step]"));
  const phrases = JSON.parse(form.dataset.reassurance || "{}");
  let current = 0;

  function show(index, focus) {
    current = index;
    steps.forEach((step, i) => { step.hidden = i !== index; });
    if (focus) {
      const heading = steps[index].querySelector("h2");
      if (heading) heading.focus();
    }
  }

  function pickPhrase() {
    const chosen = Array.from(form.querySelectorAll("input[name='patterns']:checked")).map((i) => i.value);
    let list = null;
    for (const code of chosen) {
      if (phrases[code] && phrases[code].length) { list = phrases[code]; break; }
    }
    if (!list) list = phrases.any || [];
    if (list.length === 0) return;
    const target = form.querySelector("[data-reassurance-text]");
    target.textContent = list[Math.floor(Math.random() * list.length)];
  }

  function check(step) {
    const error = step.querySelector("[data-step-error]");
    if (!error) return true;
    const problems = [];
    const situation = step.querySelector("#situation");
    if (situation && situation.value.trim() === "") problems.push("Please write a few words about what's happening.");
    if (step.querySelector("input[name='intensity']") && !step.querySelector("input[name='intensity']:checked")) problems.push("Please choose how strong it is, from 0 to 10.");
    error.textContent = problems.join(" ");
    error.hidden = problems.length === 0;
    if (problems.length > 0) {
      error.setAttribute("role", "alert");
      (situation && situation.value.trim() === "" ? situation : step.querySelector("input[name='intensity']")).focus();
    }
    return problems.length === 0;
  }

  form.querySelectorAll("[data-nav]").forEach((nav) => { nav.hidden = false; });
  form.querySelectorAll("[data-next]").forEach((b) => b.addEventListener("click", () => {
    if (!check(steps[current])) return;
    if (steps[current + 1] && steps[current + 1].dataset.step === "reassure") pickPhrase();
    show(Math.min(current + 1, steps.length - 1), true);
  }));
  form.querySelectorAll("[data-back]").forEach((b) => b.addEventListener("click", () => show(Math.max(current - 1, 0), true)));
  // Coming back with a problem from the server: start where the problem is.
  if (form.dataset.hasErrors === "true") {
    const situation = form.querySelector("#situation");
    const intensity = form.querySelector("input[name='intensity']:checked");
    show(situation.value.trim() === "" || !intensity ? 1 : steps.length - 1, true);
  } else {
    show(0, false);
  }
})();
