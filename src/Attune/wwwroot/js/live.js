// Live events for a signed-in person, over the page's event stream (/live). When someone in their
// circle reaches out, a notice appears at the top of whatever page is open. On a reach's own page,
// news about that reach (seen, answered, moved on) replaces the page's content with a fresh copy;
// likewise new messages in a conversation, and reads and reflections on a shared item. Group events
// are handed to the group page's own script.
// Events carry only a type and an id; what they refer to is fetched through the normal pages.
// When the stream drops, the browser reconnects by itself with the last frame's id and the server
// sends what was missed first. If it can't tell what was missed, it sends "resync": then every live
// part of the page is fetched afresh, as if news had come for each. The same happens when the stream
// first opens: a page that was sent a moment before its stream connected (after a form post, say)
// could otherwise miss what happened in between.
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

  // A conversation or a shared item: news about it brings a fresh copy of its live part.
  // When it has gone (closed, taken back, or the relationship ended), say so gently in place,
  // with a way on, rather than swapping the page for an error.
  const gone = (part, text) => {
    const note = document.createElement("div");
    note.className = "card support";
    note.setAttribute("role", "status");
    const p = document.createElement("p");
    p.textContent = text;
    const links = document.createElement("p");
    [["/shared", "Shared and conversations"], ["/grounding", "Grounding"], ["/reach", "Reach out to someone"]].forEach(([href, label], i) => {
      if (i > 0) links.append(" · ");
      const a = document.createElement("a");
      a.href = href;
      a.textContent = label;
      links.append(a);
    });
    note.append(p, links);
    part.replaceChildren(note);
    document.querySelectorAll("[data-thread-form], [data-witness-form]").forEach((f) => f.remove());
  };
  // "resync" and the stream's first "open" refresh every live part; only the newest fetch is applied,
  // so an older copy that arrives late never replaces a newer one.
  const everything = (event) => event.type === "resync" || event.type === "open";
  let opened = false;
  const refreshPart = (selector, key, goneText) => {
    const part = document.querySelector(selector);
    if (!part) return null;
    let latest = 0;
    return async (event) => {
      try {
        if (!everything(event) && JSON.parse(event.data).id !== part.dataset[key]) return;
        const mine = ++latest;
        const response = await fetch(location.pathname, { headers: { "Accept": "text/html" } });
        if (mine !== latest) return;
        if (response.status === 404) { gone(part, goneText); return; }
        if (!response.ok) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const list = part.querySelector("[aria-live]");
        const fresh = doc.querySelector(selector + " [aria-live]");
        // Unchanged content is left alone, so a screen reader doesn't read the list out again.
        if (list && fresh && list.innerHTML !== fresh.innerHTML) list.innerHTML = fresh.innerHTML;
      } catch (e) { /* the next event, or a refresh, catches up */ }
    };
  };
  const thread = refreshPart("[data-thread-live]", "threadLive",
    "This conversation has been closed, and its messages are gone for you both. That's OK; you can reach out again whenever you need to.");
  // Only the first "open" catches up this way; later reconnects send what was missed by event id.
  const firstOpen = [];
  const onFirstOpen = (handler) => firstOpen.push(handler);
  source.addEventListener("open", (event) => {
    if (opened) return;
    opened = true;
    firstOpen.forEach((handler) => handler(event));
  });
  if (thread) ["thread.message", "thread.ended", "care.message", "care.ended", "groupword.message", "groupword.ended", "resync"].forEach((t) => source.addEventListener(t, thread));
  if (thread) onFirstOpen(thread);
  const share = refreshPart("[data-share-live]", "shareLive",
    "This is no longer shared with you. Thank you for the care you gave it.");
  if (share) ["share.read", "share.witnessed", "share.revoked", "resync"].forEach((t) => source.addEventListener(t, share));
  if (share) onFirstOpen(share);
  // Group events go on to the page's own script (group-room.js) as one DOM event, so a group page
  // never opens a second stream; "open" lets it catch up on whatever a reconnect missed, and
  // "resync" says the server could not send it all.
  const relay = (type) => (event) => document.dispatchEvent(new CustomEvent("attune:live", { detail: { type, data: event.data ? JSON.parse(event.data) : {} } }));
  ["group.room", "group.removed", "group.changed", "group.board", "open", "resync"].forEach((t) => source.addEventListener(t, relay(t)));
  // Ctrl+Enter sends a message in a conversation.
  const threadForm = document.querySelector("[data-thread-form]");
  if (threadForm) {
    threadForm.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); threadForm.requestSubmit(); }
    });
  }

  if (!root) return;
  const id = root.dataset.reachLive;
  let latest = 0;
  const refresh = async (event) => {
    try {
      if (!everything(event) && JSON.parse(event.data).id !== id) return;
      const mine = ++latest;
      const response = await fetch(location.pathname, { headers: { "Accept": "text/html" } });
      if (mine !== latest || !response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.querySelector("[data-reach-live] [data-reach-state]");
      const state = root.querySelector("[data-reach-state]");
      if (fresh && state && state.innerHTML !== fresh.innerHTML) state.innerHTML = fresh.innerHTML;
    } catch (e) { /* the next event, or a refresh, catches up */ }
  };
  ["reach.seen", "reach.responded", "reach.escalated", "reach.exhausted", "resync"].forEach((t) => source.addEventListener(t, refresh));
  onFirstOpen(refresh);
})();
