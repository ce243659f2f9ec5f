// A group's live room. The page works without this: every action is a form that posts and comes back.
// With it, actions post in place, and news from the live stream (live.js hands on "group.room" as an
// "attune:live" DOM event, carrying only ids and a version) brings a fresh copy of the room's parts.
// The writing box sits outside the parts that are swapped, so words being typed are never lost.
(() => {
  "use strict";
  const root = document.querySelector("[data-room]");
  if (!root || !window.fetch) return;
  const parts = ["[data-room-bar]", "[data-room-live]", "[data-room-notes]"];
  const version = () => Number(root.dataset.roomVersion);
  let busy = null;

  // Leaving the group (or being removed) answers 404: say so kindly, with a way on.
  const gone = () => {
    const note = document.createElement("div");
    note.className = "card support";
    note.setAttribute("role", "status");
    const p = document.createElement("p");
    p.textContent = "You're no longer in this group, so this room has closed for you. ";
    const a = document.createElement("a");
    a.href = "/groups/mine";
    a.textContent = "Your groups";
    p.append(a);
    note.append(p);
    root.replaceChildren(note);
  };

  // Swap each part for its fresh copy, keeping what the person was doing inside it: words in a
  // reflection box, which panels are open, and where the focus was.
  const apply = (doc, form) => {
    const fresh = doc.querySelector("[data-room]");
    if (!fresh) return;
    const composerToo = !!form && !!form.closest("[data-room-composer]");
    const focused = document.activeElement && document.activeElement.id;
    const kept = {};
    root.querySelectorAll("textarea[id], input[type=text][id]").forEach((f) => { if (f.value && f.form !== form) kept[f.id] = f.value; });
    const open = new Set([...root.querySelectorAll("details[id][open]")].map((d) => d.id));
    parts.forEach((selector) => {
      const now = root.querySelector(selector), next = fresh.querySelector(selector);
      if (now && next) now.replaceWith(document.importNode(next, true));
    });
    // The safety panel stays until the page is left; a form's answer may bring one.
    const safety = form && fresh.querySelector("[data-room-safety]");
    if (safety && safety.children.length) root.querySelector("[data-room-safety]").replaceWith(document.importNode(safety, true));
    // The writing box is renewed (it may have become my turn) unless it holds words not yet sent.
    const composer = root.querySelector("[data-room-composer]"), next = fresh.querySelector("[data-room-composer]");
    if (composer && next) {
      const typing = composer.querySelector("textarea");
      if (composerToo || !typing || !typing.value) composer.replaceWith(document.importNode(next, true));
      else composer.hidden = next.hidden;
    }
    root.querySelectorAll("textarea[id], input[type=text][id]").forEach((f) => { if (!f.value && kept[f.id]) f.value = kept[f.id]; });
    open.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
    root.dataset.roomVersion = fresh.dataset.roomVersion;
    root.querySelectorAll("input[name=expectedVersion]").forEach((i) => { i.value = fresh.dataset.roomVersion; });
    const back = focused && document.getElementById(focused);
    if (back) back.focus({ preventScroll: true });
    else {
      const note = root.querySelector("[data-room-notes] [tabindex='-1']");
      if (note) note.focus();
    }
  };

  const load = async (response, form) => {
    if (response.status === 404) { gone(); return; }
    if (!response.ok && response.status !== 400 && response.status !== 409 && response.status !== 403) return;
    apply(new DOMParser().parseFromString(await response.text(), "text/html"), form);
  };

  const refresh = async () => {
    if (busy) return;
    busy = fetch(root.dataset.roomPart, { headers: { "Accept": "text/html" } });
    try { await load(await busy, null); } catch (e) { /* the next event, or a reload, catches up */ } finally { busy = null; }
  };

  document.addEventListener("attune:live", (event) => {
    const { type, data } = event.detail;
    if (type === "open" || type === "resync") refresh();
    else if (type === "group.removed" && data.id === root.dataset.group) gone();
    else if (type === "group.room" && data.meetingId === root.dataset.meeting && data.version > version()) refresh();
  });

  // Posting in place: the server answers with the room as it now is (after a redirect), or with the
  // same page and a kind message beside the form that needs another look.
  root.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-room-form]")) return;
    event.preventDefault();
    // Read the form (with the button that sent it) before its buttons are disabled against double taps.
    const body = new FormData(form, event.submitter);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(form.action, { method: "POST", body, headers: { "Accept": "text/html" } });
      await load(response, form);
    } catch (e) {
      form.submit();
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  // Ctrl+Enter shares what is in the writing box.
  root.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form && event.target.form.matches("[data-room-form]")) {
      event.preventDefault();
      event.target.form.requestSubmit(event.target.form.querySelector("[data-default]"));
    }
  });
})();
