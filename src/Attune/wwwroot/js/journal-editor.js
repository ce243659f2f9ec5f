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
  const entry = JSON.parse(root.querySelector("[data-entry]").textContent || "null");
  let id = root.dataset.id || null;
  let draft = root.dataset.draft === "true";

  const field = (name) => root.querySelector(`[data-field='${name}']`);
  const int = (el) => (el && el.value.trim() !== "" ? Number.parseInt(el.value, 10) : null);
  const text = (name) => { const el = field(name); return el ? el.value : null; };

  // ---- Kind-specific state that isn't a plain field. ----
  let turns = (entry && entry.dialogue && entry.dialogue.turns) ? entry.dialogue.turns.map((t) => ({ ...t })) : [];
  let regions = (entry && entry.body && entry.body.regions) ? entry.body.regions.map((r) => ({ ...r, sensations: [...(r.sensations || [])] })) : [];
  let drawingChanged = false;
  let photo = null; // null: unchanged; "": remove; otherwise base64 JPEG or PNG
  let canvas = null;

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
    const moodOn = root.querySelector("[data-mood-on]");
    if (moodOn && moodOn.checked) input.mood = { valence: int(field("mood.valence")), energy: int(field("mood.energy")) };
    if (kind === "letter") {
      const dir = root.querySelector("[data-field='letter.direction']:checked");
      input.letter = { direction: dir ? dir.value : "toYounger", age: int(field("letter.age")) };
      if (photo !== null) input.letter.photo = photo;
    }
    if (kind === "dialogue") input.dialogue = { age: int(field("dialogue.age")), turns: turns.filter((t) => t.text.trim() !== "") };
    if (kind === "memory") {
      input.memory = {
        age: int(field("memory.age")), place: text("memory.place"), people: text("memory.people"), whatHappened: text("memory.whatHappened"),
        felt: text("memory.felt"), needed: text("memory.needed"), knowNow: text("memory.knowNow"), parked: field("memory.parked").checked,
      };
    }
    if (kind === "body") input.body = { regions: regions.map((r) => ({ region: r.region, sensations: r.sensations, intensity: r.intensity })) };
    if (kind === "drawing") input.drawing = { png: drawingChanged && canvas ? canvas.toDataURL("image/png") : null };
    return input;
  };

  // ---- Saving. ----
  let dirty = false;
  let inFlight = false;
  let retryTimer = null;
  let retryDelay = 2000;
  let debounce = null;

  const show = (message) => { status.textContent = message; };
  const saveUrl = () => (id ? `/journal/${id}/edit?handler=Save` : `/journal/new/${kind}?handler=Save`);
  const clock = () => new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  const describe = (problem) => {
    const errors = problem && problem.errors ? Object.entries(problem.errors) : [];
    if (errors.length === 0) return (problem && problem.title) || "This couldn't be saved.";
    return errors.map(([name, messages]) => `${name}: ${messages.join(" ")}`).join(" ");
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
    if (!dirty && !finish) return null;
    window.clearTimeout(retryTimer);
    const input = collect();
    if (finish) input.draft = false;
    const sentDrawing = drawingChanged;
    const sentPhoto = photo;
    dirty = false;
    drawingChanged = false;
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
        errorBox.textContent = describe(problem);
        show("Not saved: something needs another look.");
        dirty = true;
        drawingChanged = drawingChanged || sentDrawing;
        return null;
      }
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      errorBox.textContent = "";
      retryDelay = 2000;
      if (sentPhoto === photo) photo = null;
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
      drawingChanged = drawingChanged || sentDrawing;
      show(navigator.onLine === false ? "Offline — will retry when you're back online." : "Not saved yet — will retry.");
      retryTimer = window.setTimeout(() => save(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return null;
    } finally {
      inFlight = false;
      if (dirty && retryDelay === 2000) schedule(300);
    }
  };

  const schedule = (ms = 2000) => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => save(), ms);
  };
  const changed = () => {
    dirty = true;
    show("Writing…");
    schedule();
  };

  root.addEventListener("input", (e) => { if (!e.target.closest("[data-photo-input]")) changed(); });
  root.addEventListener("change", (e) => { if (!e.target.closest("[data-photo-input]")) changed(); });
  root.addEventListener("focusout", () => { if (dirty) save(); });
  window.setInterval(() => { if (dirty && !inFlight) save(); }, 5000);
  window.addEventListener("online", () => { retryDelay = 2000; save(); });
  window.addEventListener("beforeunload", (e) => { if (dirty || inFlight) { e.preventDefault(); e.returnValue = ""; } });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden" && dirty) save({ keepalive: kind !== "drawing" }); });

  root.querySelector("[data-finish]").addEventListener("click", async () => {
    const saved = await save({ finish: true });
    if (saved) window.location.href = `/journal/${saved.id}`;
  });

  // ---- Crisis words: offer crisis lines and the safety plan, once. Nothing is sent to anyone. ----
  let offered = false;
  const offerCrisis = () => {
    if (offered) return;
    offered = true;
    crisisPanel.hidden = false;
    crisisPanel.focus();
  };

  // ---- Mood: moving a slider means the person wants it recorded. ----
  root.querySelectorAll("input[type=range][data-field^='mood.']").forEach((range) => {
    const out = root.querySelector(`[data-out-for='${range.id}']`);
    range.addEventListener("input", () => {
      out.textContent = range.value;
      root.querySelector("[data-mood-on]").checked = true;
    });
  });

  // ---- Letter photo: re-drawn in the browser (upright, at most 2000 px, no metadata), then sent. ----
  const photoInput = root.querySelector("[data-photo-input]");
  if (photoInput) {
    const preview = root.querySelector("[data-photo-preview]");
    const remove = root.querySelector("[data-photo-remove]");
    photoInput.addEventListener("change", async () => {
      const file = photoInput.files[0];
      if (!file) return;
      try {
        const bitmap = await createImageBitmap(file);
        const scale = Math.min(1, 2000 / Math.max(bitmap.width, bitmap.height));
        const c = document.createElement("canvas");
        c.width = Math.round(bitmap.width * scale);
        c.height = Math.round(bitmap.height * scale);
        c.getContext("2d").drawImage(bitmap, 0, 0, c.width, c.height);
        const url = c.toDataURL("image/jpeg", 0.88);
        photo = url.slice(url.indexOf(",") + 1);
        preview.innerHTML = "";
        const img = document.createElement("img");
        img.src = url;
        img.alt = "Photo of your handwritten letter";
        img.className = "entry-image";
        preview.append(img);
        remove.hidden = false;
        changed();
      } catch {
        errorBox.textContent = "That file couldn't be read as an image. Please choose a PNG or JPEG photo.";
      }
    });
    remove.addEventListener("click", () => {
      photo = "";
      photoInput.value = "";
      preview.innerHTML = "";
      remove.hidden = true;
      changed();
    });
  }

  // ---- Dialogue: two voices taking turns. ----
  const turnList = root.querySelector("[data-turns]");
  if (turnList) {
    const ageInput = field("dialogue.age");
    const voice = (speaker) => (speaker === "now" ? "Me now" : `Me at ${ageInput.value || "a younger age"}`);
    const render = (focusIndex = null) => {
      turnList.innerHTML = "";
      turns.forEach((turn, i) => {
        const li = document.createElement("li");
        li.className = `turn turn-${turn.speaker}`;
        const label = document.createElement("label");
        label.htmlFor = `turn-${i}`;
        label.textContent = voice(turn.speaker);
        const box = document.createElement("textarea");
        box.id = `turn-${i}`;
        box.rows = 2;
        box.maxLength = 10000;
        box.value = turn.text;
        box.setAttribute("aria-describedby", "dialogue-keys");
        box.addEventListener("input", () => { turns[i].text = box.value; });
        box.addEventListener("keydown", (e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
            e.preventDefault();
            turns.splice(i + 1, 0, { speaker: turn.speaker === "now" ? "younger" : "now", text: "" });
            render(i + 1);
          } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
            e.preventDefault();
            move(i, e.key === "ArrowUp" ? -1 : 1);
          }
        });
        const tools = document.createElement("div");
        tools.className = "turn-tools";
        const button = (textContent, action, labelText) => {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "secondary small";
          b.textContent = textContent;
          b.setAttribute("aria-label", `${labelText} (turn ${i + 1})`);
          b.addEventListener("click", action);
          tools.append(b);
        };
        button("Switch voice", () => { turns[i].speaker = turn.speaker === "now" ? "younger" : "now"; changed(); render(i); }, "Switch voice");
        button("↑", () => move(i, -1), "Move up");
        button("↓", () => move(i, 1), "Move down");
        button("Remove", () => { turns.splice(i, 1); changed(); render(Math.min(i, turns.length - 1)); }, "Remove");
        li.append(label, box, tools);
        turnList.append(li);
      });
      if (focusIndex !== null && focusIndex >= 0) document.getElementById(`turn-${focusIndex}`)?.focus();
    };
    const move = (i, by) => {
      const to = i + by;
      if (to < 0 || to >= turns.length) return;
      [turns[i], turns[to]] = [turns[to], turns[i]];
      changed();
      render(to);
    };
    root.querySelectorAll("[data-add-turn]").forEach((b) => b.addEventListener("click", () => {
      turns.push({ speaker: b.dataset.addTurn, text: "" });
      render(turns.length - 1);
    }));
    ageInput.addEventListener("input", () => render());
    if (turns.length === 0) turns.push({ speaker: "now", text: "" });
    render();
  }

  // ---- Body map: mark places, then words and intensity for each. ----
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

  // ---- Drawing: strokes replayed over the saved picture, so undo and redo are exact. ----
  const drawing = root.querySelector("[data-drawing]");
  if (drawing) {
    canvas = drawing.querySelector("[data-canvas]");
    const ctx = canvas.getContext("2d");
    const strokes = [];
    const undone = [];
    let base = null;
    let current = null;
    const pen = () => ({
      colour: drawing.querySelector("[data-eraser]").checked ? "#ffffff" : drawing.querySelector("[data-colour]:checked").value,
      size: Number(drawing.querySelector("[data-size]:checked").value) * (drawing.querySelector("[data-eraser]").checked ? 2 : 1),
    });
    drawing.querySelectorAll("[data-swatch]").forEach((dot) => { dot.style.backgroundColor = dot.dataset.swatch; });
    const paint = (stroke) => {
      ctx.strokeStyle = stroke.colour;
      ctx.fillStyle = stroke.colour;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      const pts = stroke.points;
      if (pts.length === 1) {
        ctx.beginPath();
        ctx.arc(pts[0].x, pts[0].y, (stroke.size * pts[0].p) / 2, 0, Math.PI * 2);
        ctx.fill();
        return;
      }
      for (let i = 1; i < pts.length; i++) {
        ctx.beginPath();
        ctx.lineWidth = stroke.size * pts[i].p;
        ctx.moveTo(pts[i - 1].x, pts[i - 1].y);
        ctx.lineTo(pts[i].x, pts[i].y);
        ctx.stroke();
      }
    };
    const redraw = () => {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (base) ctx.drawImage(base, 0, 0, canvas.width, canvas.height);
      strokes.forEach(paint);
    };
    const point = (e) => {
      const rect = canvas.getBoundingClientRect();
      const pressure = e.pointerType === "pen" && e.pressure > 0 ? 0.4 + e.pressure * 1.2 : 1;
      return { x: ((e.clientX - rect.left) * canvas.width) / rect.width, y: ((e.clientY - rect.top) * canvas.height) / rect.height, p: pressure };
    };
    canvas.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      current = { ...pen(), points: [point(e)] };
      strokes.push(current);
      undone.length = 0;
      paint(current);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!current) return;
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const ev of events) {
        current.points.push(point(ev));
        paint({ ...current, points: current.points.slice(-2) });
      }
    });
    const end = () => {
      if (!current) return;
      current = null;
      drawingChanged = true;
      changed();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    const act = (fn) => () => { fn(); redraw(); drawingChanged = true; changed(); };
    drawing.querySelector("[data-undo]").addEventListener("click", act(() => { if (strokes.length) undone.push(strokes.pop()); }));
    drawing.querySelector("[data-redo]").addEventListener("click", act(() => { if (undone.length) strokes.push(undone.pop()); }));
    drawing.querySelector("[data-clear]").addEventListener("click", act(() => { strokes.length = 0; undone.length = 0; base = null; }));
    redraw();
    if (drawing.dataset.existing) {
      const img = new Image();
      img.onload = () => { base = img; redraw(); };
      img.src = drawing.dataset.existing;
    }
  }
})();
