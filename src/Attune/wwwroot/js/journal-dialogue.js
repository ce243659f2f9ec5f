// Two-voice dialogue: turns between "me now" and "me at N", added, switched, moved and removed by keyboard or buttons.
// A part of the journal editor (journal-editor.js): it keeps its own state and adds it to each save.
(window.AttuneJournalParts = window.AttuneJournalParts || []).push((root, editor) => {
  "use strict";
  const { entry, field, int, changed } = editor;
  let turns = (entry && entry.dialogue && entry.dialogue.turns) ? entry.dialogue.turns.map((t) => ({ ...t })) : [];
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

  return {
    collect(input) { input.dialogue = { age: int(field("dialogue.age")), turns: turns.filter((t) => t.text.trim() !== "") }; },
  };
});
