// The journal editor: every kind's fields, saved as the person writes. A save that can't reach
// the server is kept and retried until it lands ("offline — will retry"); nothing typed is lost.
(() => {
  "use strict";
  const root = document.querySelector("[data-journal-editor]");
  if (!root) return;
  const kind = root.dataset.kind;
  const token = root.querySelector("input[name='__RequestVerificationToken']").value;
  const status = root.querySelector("[data-save-status]");
  const errorBox = root.querySelector("[data-save-error]");
  const crisisPanel = root.querySelector("[data-crisis-panel]");
  const crisisAnnounce = root.querySelector("[data-crisis-announce]");
  const entry = JSON.parse(root.querySelector("[data-entry]").textContent || "null");
  let id = root.dataset.id || null;
  let draft = root.dataset.draft === "true";

  const field = (name) => root.querySelector(`[data-field='${name}']`);
  const int = (el) => (el && el.value.trim() !== "" ? Number.parseInt(el.value, 10) : null);
  const text = (name) => { const el = field(name); return el ? el.value : null; };

  // Each kind's own editor (dialogue, body map, drawing, letter photo) is a part in its own file;
  // it adds its state to what is saved and hears how the save went. See journal-*.js.
  let parts = [];

  const collect = () => {
    const input = {
      kind,
      title: text("title") || "",
      text: text("text") || "",
      tags: (text("tags") || "").split(",").map((t) => t.trim()).filter((t) => t.length > 0),
      draft,
    };
    if (root.dataset.promptId) input.promptId = root.dataset.promptId;
    if (root.dataset.practiceSession) input.practiceSessionId = root.dataset.practiceSession;
    if (root.dataset.activation) input.activationId = root.dataset.activation;
    const moodOn = root.querySelector("[data-mood-on]");
    if (moodOn && moodOn.checked) input.mood = { valence: int(field("mood.valence")), energy: int(field("mood.energy")) };
    if (kind === "letter") {
      const dir = root.querySelector("[data-field='letter.direction']:checked");
      input.letter = { direction: dir ? dir.value : "toYounger", age: int(field("letter.age")) };
    }
    if (kind === "memory") {
      input.memory = {
        age: int(field("memory.age")), place: text("memory.place"), people: text("memory.people"), whatHappened: text("memory.whatHappened"),
        felt: text("memory.felt"), needed: text("memory.needed"), knowNow: text("memory.knowNow"), parked: field("memory.parked").checked,
      };
    }
    parts.forEach((p) => p.collect && p.collect(input));
    return input;
  };

  // ---- Saving. ----
  let dirty = false;
  let inFlight = false;
  let retryTimer = null;
  let retryDelay = 2000;
  let debounce = null;
  // The server turned down what is there now (a 400): sending it again can't help, so nothing is
  // sent until the person changes something. Its messages stay beside their fields until a save works.
  let rejected = false;

  const show = (message) => { status.textContent = message; };
  const saveUrl = () => (id ? `/journal/${id}/edit?handler=Save` : `/journal/new/${kind}?handler=Save`);
  const clock = () => new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); // 24-hour, like every time Attune shows

  // Nothing written yet: a new entry isn't made until there is something in it.
  const blank = (s) => !s || String(s).trim() === "";
  const isEmpty = (input) => blank(input.title) && blank(input.text) && input.tags.length === 0
    && !(input.memory && ["place", "people", "whatHappened", "felt", "needed", "knowNow"].some((k) => !blank(input.memory[k])))
    && !(input.dialogue && input.dialogue.turns && input.dialogue.turns.length > 0)
    && !(input.body && input.body.regions && input.body.regions.length > 0)
    && !(input.drawing && input.drawing.png)
    && !(input.letter && input.letter.photo);

  // Each message sits just after its field, in plain words, and the field says it is invalid.
  const clearErrors = () => {
    root.querySelectorAll("[data-field-error]").forEach((e) => e.remove());
    root.querySelectorAll("[aria-invalid='true'][data-field]").forEach((f) => {
      f.removeAttribute("aria-invalid");
      f.setAttribute("aria-describedby", (f.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.startsWith("error-")).join(" "));
    });
    errorBox.textContent = "";
  };
  const showErrors = (problem) => {
    clearErrors();
    const errors = problem && problem.errors ? Object.entries(problem.errors) : [];
    const loose = [];
    let first = null;
    errors.forEach(([name, messages], i) => {
      const target = field(name) || field(name.replace(/\[\d+\].*$/, ""));
      const words = messages.join(" ");
      if (!target) { loose.push(words); return; }
      const note = document.createElement("p");
      note.className = "field-error";
      note.id = `error-${i}`;
      note.dataset.fieldError = "";
      note.textContent = words;
      target.insertAdjacentElement("afterend", note);
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") || ""} ${note.id}`.trim());
      first = first || target;
    });
    if (errors.length === 0) loose.push((problem && problem.title) || "This couldn't be saved.");
    errorBox.textContent = loose.join(" ");
    return first;
  };

  let running = Promise.resolve(null);
  const save = (options = {}) => {
    if (inFlight && !options.finish) { dirty = true; return running; }
    // Saving the entry waits for any autosave on the way, then sends everything once more.
    const after = inFlight ? running.catch(() => null) : Promise.resolve();
    running = after.then(() => send(options));
    return running;
  };

  const send = async ({ finish = false, keepalive = false } = {}) => {
    if (!finish && (!dirty || rejected)) return null;
    window.clearTimeout(retryTimer);
    const input = collect();
    if (finish) input.draft = false;
    if (!id && !finish && isEmpty(input)) { dirty = false; show("Nothing written yet."); return null; }
    dirty = false;
    inFlight = true;
    show("Saving…");
    try {
      const response = await fetch(saveUrl(), {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: { "Content-Type": "application/json", RequestVerificationToken: token },
        body: JSON.stringify(input),
      });
      if (response.status === 400) {
        const problem = await response.json().catch(() => null);
        rejected = true;
        dirty = true;
        const first = showErrors(problem);
        show(finish ? "Not saved yet: please look at the note below." : "Not saved yet: something needs another look.");
        if (finish && first) first.focus();
        parts.forEach((p) => p.failed && p.failed(input));
        return null;
      }
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      clearErrors();
      retryDelay = 2000;
      parts.forEach((p) => p.saved && p.saved(input));
      if (!id) {
        id = saved.id;
        root.dataset.id = id;
        window.history.replaceState(null, "", `/journal/${id}/edit`);
      }
      draft = saved.draft;
      show(`${draft ? "Draft saved" : "Saved"} at ${clock()}.`);
      if (saved.crisisLanguage) offerCrisis();
      return saved;
    } catch {
      dirty = true;
      parts.forEach((p) => p.failed && p.failed(input));
      show(navigator.onLine === false ? "Offline — will retry when you're back online." : "Not saved yet — will retry.");
      retryTimer = window.setTimeout(() => save(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return null;
    } finally {
      inFlight = false;
      if (dirty && !rejected && retryDelay === 2000) schedule(300);
    }
  };

  const schedule = (ms = 2000) => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => save(), ms);
  };
  const changed = () => {
    dirty = true;
    rejected = false;
    show("Writing…");
    schedule();
  };

  root.addEventListener("input", (e) => { if (!e.target.closest("[data-photo-input]")) changed(); });
  root.addEventListener("change", (e) => { if (!e.target.closest("[data-photo-input]")) changed(); });
  root.addEventListener("focusout", () => { if (dirty && !rejected) save(); });
  window.setInterval(() => { if (dirty && !inFlight && !rejected) save(); }, 5000);
  window.addEventListener("online", () => { retryDelay = 2000; save(); });
  // Leaving through the crisis note (a reach, crisis lines, grounding) asks nothing: the words go with a last save.
  let leaving = false;
  crisisPanel.addEventListener("click", (e) => { if (e.target.closest("a, button")) { leaving = true; if (dirty) save({ keepalive: kind !== "drawing" }); } });
  window.addEventListener("beforeunload", (e) => { if (!leaving && (dirty || inFlight)) { e.preventDefault(); e.returnValue = ""; } });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden" && dirty && !rejected) save({ keepalive: kind !== "drawing" }); });

  root.querySelector("[data-finish]").addEventListener("click", async () => {
    const saved = await save({ finish: true });
    if (saved) window.location.href = `/journal/${saved.id}`;
  });

  // ---- Crisis words: offer crisis lines, the safety plan and one's own people, once. Nothing is
  // sent to anyone. The note never takes focus or touches the field being typed in: it appears
  // below the writing, and a polite announcement tells screen-reader users it is there. ----
  let offered = false;
  const offerCrisis = () => {
    if (offered) return;
    offered = true;
    crisisPanel.hidden = false;
    const pointer = root.querySelector("[data-crisis-pointer]");
    if (pointer) pointer.hidden = false;
    if (crisisAnnounce) crisisAnnounce.textContent = "A note has appeared below your writing, with people you can reach and crisis lines. Your writing is saved, and you can keep going.";
  };

  // ---- Mood: moving a slider means the person wants it recorded. ----
  root.querySelectorAll("input[type=range][data-field^='mood.']").forEach((range) => {
    const out = root.querySelector(`[data-out-for='${range.id}']`);
    range.addEventListener("input", () => {
      out.textContent = range.value;
      root.querySelector("[data-mood-on]").checked = true;
    });
  });

  // ---- The kind's own editor, if it has one. ----
  const showError = (message) => { errorBox.textContent = message; };
  parts = (window.AttuneJournalParts || []).map((make) => make(root, { entry, field, int, changed, showError }));
})();
