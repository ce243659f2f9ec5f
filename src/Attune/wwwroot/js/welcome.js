// The welcome's two guesses, made in the browser where the answers live: the time zone this
// device is set to, and (if the server had no guess) a country from the browser's languages.
// The person sees both and can change either before saving.
(() => {
  "use strict";
  const form = document.querySelector("[data-welcome]");
  if (!form) return;
  const zone = form.querySelector("[data-guess-zone]");
  try {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && detected && zone.value === "UTC" && [...zone.options].some((o) => o.value === detected)) zone.value = detected;
  } catch { /* no Intl: the list stays as it is */ }
  const country = form.querySelector("[data-guess-country]");
  if (country && country.value === "") {
    for (const tag of navigator.languages || [navigator.language]) {
      const region = (tag || "").split(/[-_]/)[1];
      if (region && region.length === 2 && [...country.options].some((o) => o.value === region.toUpperCase())) {
        country.value = region.toUpperCase();
        break;
      }
    }
  }
})();
