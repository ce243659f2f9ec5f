// Body check-in: places marked on the body map (by tap, click or keyboard), each with sensation words and intensity.
// A part of the journal editor (journal-editor.js): it keeps its own state and adds it to each save.
(window.AttuneJournalParts = window.AttuneJournalParts || []).push((root, editor) => {
  "use strict";
  const { entry, changed } = editor;
  let regions = (entry && entry.body && entry.body.regions) ? entry.body.regions.map((r) => ({ ...r, sensations: [...(r.sensations || [])] })) : [];
  const regionList = root.querySelector("[data-body-regions]");
  if (regionList) {
    const { words, names } = JSON.parse(root.querySelector("[data-body-words]").textContent);
    const template = root.querySelector("[data-region-template]");
    const shapes = [...root.querySelectorAll("[data-region]")];
    const renderRegions = (focusRegion = null) => {
      shapes.forEach((g) => g.setAttribute("aria-pressed", regions.some((r) => r.region === g.dataset.region) ? "true" : "false"));
      regionList.innerHTML = "";
      regions.forEach((r, i) => {
        const li = template.content.firstElementChild.cloneNode(true);
        const heading = li.querySelector("[data-region-name]");
        heading.textContent = names[r.region] || r.region;
        heading.id = `region-${i}`;
        li.setAttribute("aria-labelledby", heading.id);
        const chips = li.querySelector("[data-sensations]");
        words.forEach((w, n) => {
          const wrap = document.createElement("span");
          wrap.className = "chip-choice";
          const box = document.createElement("input");
          box.type = "checkbox";
          box.id = `region-${i}-word-${n}`;
          box.checked = r.sensations.includes(w);
          box.addEventListener("change", () => {
            r.sensations = box.checked ? [...r.sensations, w] : r.sensations.filter((s) => s !== w);
          });
          const label = document.createElement("label");
          label.htmlFor = box.id;
          label.textContent = w;
          wrap.append(box, label);
          chips.append(wrap);
        });
        const own = li.querySelector("[data-region-words]");
        own.id = `region-${i}-words`;
        li.querySelector("[data-label-for='words']").htmlFor = own.id;
        own.value = r.sensations.filter((s) => !words.includes(s)).join(", ");
        own.addEventListener("input", () => {
          const mine = own.value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
          r.sensations = [...r.sensations.filter((s) => words.includes(s)), ...mine];
        });
        const range = li.querySelector("[data-region-intensity]");
        range.id = `region-${i}-intensity`;
        li.querySelector("[data-label-for='intensity']").htmlFor = range.id;
        const out = li.querySelector("[data-intensity-out]");
        range.value = r.intensity ?? 5;
        out.textContent = range.value;
        range.addEventListener("input", () => { r.intensity = Number(range.value); out.textContent = range.value; });
        li.querySelector("[data-region-remove]").addEventListener("click", () => toggle(r.region));
        regionList.append(li);
        if (focusRegion === r.region) heading.setAttribute("tabindex", "-1");
      });
    };
    const toggle = (region) => {
      const at = regions.findIndex((r) => r.region === region);
      if (at >= 0) regions.splice(at, 1);
      else regions.push({ region, sensations: [], intensity: 5 });
      changed();
      renderRegions(region);
    };
    shapes.forEach((g) => {
      g.addEventListener("click", () => toggle(g.dataset.region));
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(g.dataset.region); }
      });
    });
    renderRegions();
  }

  return {
    collect(input) { input.body = { regions: regions.map((r) => ({ region: r.region, sensations: r.sensations, intensity: r.intensity })) }; },
  };
});
