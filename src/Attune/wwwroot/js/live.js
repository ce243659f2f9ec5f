// Live events for a signed-in person, over the page's event stream (/live). When someone in their
// circle reaches out, a notice appears at the top of whatever page is open. On a reach's own page,
// news about that reach (seen, answered, moved on) replaces the page's content with a fresh copy.
// Events carry only a type and an id; what they refer to is fetched through the normal pages.
(() => {
  "use strict";
  if (!window.EventSource) return;
  const notice = document.querySelector("[data-live-notice]");
  const root = document.querySelector("[data-reach-live]");
  const source = new EventSource("/live");

  source.addEventListener("reach.received", (event) => {
    if (!notice) return;
    const id = JSON.parse(event.data).id;
    if (root && root.dataset.reachLive === id) return;
    notice.textContent = "";
    const text = document.createElement("p");
    text.append("Someone in your circle reached out. ");
    const link = document.createElement("a");
    link.href = "/reaches/" + id;
    link.textContent = "See who, and answer";
    text.append(link);
    notice.append(text);
    notice.setAttribute("role", "alert");
    notice.hidden = false;
  });

  if (!root) return;
  const id = root.dataset.reachLive;
  const refresh = async (event) => {
    try {
      if (JSON.parse(event.data).id !== id) return;
      const response = await fetch(location.pathname, { headers: { "Accept": "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.querySelector("[data-reach-live]");
      const list = root.querySelector("[aria-live]");
      const freshList = fresh && fresh.querySelector("[aria-live]");
      if (list && freshList && !fresh.querySelector("#exhausted-heading")) list.innerHTML = freshList.innerHTML;
      else if (fresh) root.innerHTML = fresh.innerHTML;
    } catch (e) { /* the next event, or a refresh, catches up */ }
  };
  ["reach.seen", "reach.responded", "reach.escalated", "reach.exhausted"].forEach((t) => source.addEventListener(t, refresh));
})();
