// Attune's small shared script: quick exit and paced breathing. Everything works without it,
// just less smoothly. No inline script anywhere (CSP).
(() => {
  "use strict";

  // Quick exit: leave for a neutral site, replacing this page in the history so Back doesn't
  // return to it. The same happens on three presses of Escape within two seconds. The tab
  // remembers it left, so Back into any earlier Attune page leaves again (exit-guard.js), and
  // the server is told, so it can sign out a person who asked for that.
  const exit = document.getElementById("quick-exit");
  if (exit) {
    const signOut = document.getElementById("quick-exit-sign-out");
    const leave = () => {
      document.body.hidden = true;
      try { window.sessionStorage.setItem("attune-left", exit.href); } catch { /* storage may be off */ }
      if (signOut && navigator.sendBeacon) navigator.sendBeacon(signOut.action, new FormData(signOut));
      window.location.replace(exit.href);
    };
    exit.addEventListener("click", (e) => { e.preventDefault(); leave(); });
    let presses = [];
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      const now = Date.now();
      presses = presses.filter((t) => now - t < 2000);
      presses.push(now);
      if (presses.length >= 3) leave();
    });
    // Tests (and nothing else) read this: the Escape shortcut is listening.
    document.documentElement.dataset.quickExit = "ready";
  }

  // How Attune looks: a choice shows on this page at once, before Save keeps it (leaving unsaved
  // goes back to the saved look on the next page). The saved choice is the one the page came with.
  const preview = document.getElementById("theme-preview");
  const choices = [...document.querySelectorAll("[data-theme-choice]")];
  const show = (input) => {
    const root = document.documentElement;
    const fixed = input.value === "light" || input.value === "dark";
    if (fixed) root.dataset.theme = input.value; else delete root.dataset.theme;
    document.querySelector("meta[name=color-scheme]")?.setAttribute("content", fixed ? input.value : "light dark");
    if (preview) preview.textContent = input.defaultChecked ? "" : "This is how it will look. Save to keep it.";
  };
  choices.forEach((input) => input.addEventListener("change", () => { if (input.checked) show(input); }));
  // Back to this page, the browser may bring back an unsaved choice: show that one, so what is ticked is what is seen.
  if (choices.length) window.addEventListener("pageshow", () => { const ticked = choices.find((c) => c.checked); if (ticked) show(ticked); });

  // A form that reaches people can't work offline: say so in place instead of sending, so what was
  // typed stays and the browser's own offline page never stands between a person and help.
  document.querySelectorAll("form[data-needs-network]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const note = form.querySelector("[data-offline-note]");
      if (navigator.onLine || !note) return;
      event.preventDefault();
      note.hidden = false;
    });
  });
  window.addEventListener("online", () => document.querySelectorAll("[data-offline-note]").forEach((note) => { note.hidden = true; }));

  // Print buttons appear only where printing can work.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // Paced breathing: in for 4, out for 6. The circle only moves when motion is welcome; the
  // words change either way, announced politely to screen readers.
  document.querySelectorAll("[data-breathing]").forEach((box) => {
    const toggle = box.querySelector("[data-breath-toggle]");
    const cue = box.querySelector("[data-breath-cue]");
    if (!toggle || !cue) return;
    toggle.hidden = false;
    let timer = null;
    const phases = [["Breathe in… 2… 3… 4", 4000, "in"], ["And out… 2… 3… 4… 5… 6", 6000, "out"]];
    const step = (i) => {
      const [words, ms, dir] = phases[i % 2];
      cue.textContent = words;
      box.dataset.phase = dir;
      timer = window.setTimeout(() => step(i + 1), ms);
    };
    toggle.addEventListener("click", () => {
      if (timer) {
        window.clearTimeout(timer);
        timer = null;
        box.dataset.phase = "";
        cue.textContent = "Paused. Start again whenever you like.";
        toggle.textContent = "Start breathing with me";
      } else {
        toggle.textContent = "Pause";
        step(0);
      }
    });
  });
})();
