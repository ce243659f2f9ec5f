// Quick exit's second half. site.js leaves for an ordinary site and notes it for this tab; if the
// person (or someone else) then presses Back into Attune, this runs before anything is drawn and
// leaves again at once. Arriving any other way (a link, typing the address) clears the note.
// Loaded without defer, in the head, so no Attune content shows first. No inline script (CSP).
(() => {
  "use strict";
  const key = "attune-left";
  const read = () => { try { return window.sessionStorage.getItem(key); } catch { return null; } };
  const away = (to) => {
    document.documentElement.style.visibility = "hidden";
    window.location.replace(to);
  };
  const left = read();
  if (left) {
    const entry = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (entry && entry.type === "back_forward") away(left);
    else { try { window.sessionStorage.removeItem(key); } catch { /* storage may be off */ } }
  }
  // A page restored whole from the back-forward cache runs no script again; this event still fires.
  window.addEventListener("pageshow", (event) => {
    const to = read();
    if (event.persisted && to) away(to);
  });
})();
