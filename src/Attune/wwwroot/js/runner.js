// The practice runner: one step at a time, answers saved as you type, and the distress rule
// applied by the server on every save. The page works without this script (one form, saved on
// submit); this adds pacing, autosave and read-aloud.
(() => {
  "use strict";
  const root = document.querySelector("[data-runner]");
  if (!root) return;
  const form = root.querySelector("#runner-form");
  const token = form.querySelector("input[name='__RequestVerificationToken']").value;
  const status = root.querySelector("[data-save-status]");
  const steps = [...root.querySelectorAll("[data-step]")];
  const stepList = root.querySelector("[data-steps]");
  const nav = root.querySelector("[data-step-nav]");
  const next = root.querySelector("[data-next]");
  const prev = root.querySelector("[data-prev]");
  const finish = root.querySelector("[data-finish]");
  const support = root.querySelector("[data-support-panel]");
  const reason = root.querySelector("[data-support-reason]");
  const choiceResult = root.querySelector("[data-choice-result]");
  let current = 0;
  let offered = root.dataset.offered === "true";

  // ---- Saving: a pending change is kept until the server has it, retried with backoff. ----
  let pending = {};
  let timer = null;
  let retryDelay = 1000;
  let inFlight = false;

  const show = (text) => { status.textContent = text; };

  const merge = (change) => {
    for (const [key, value] of Object.entries(change)) {
      if (key === "answers") pending.answers = Object.assign(pending.answers || {}, value);
      else pending[key] = value;
    }
  };

  const save = async (change, { keepalive = false } = {}) => {
    if (change) merge(change);
    if (inFlight || Object.keys(pending).length === 0) return null;
    const body = pending;
    pending = {};
    inFlight = true;
    show("Saving…");
    try {
      const response = await fetch(root.dataset.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: { "Content-Type": "application/json", "RequestVerificationToken": token },
        body: JSON.stringify(body),
      });
      if (response.status === 400) {
        show("Something in this step couldn't be saved. Is an answer very long?");
        return null;
      }
      if (!response.ok) throw new Error(String(response.status));
      const session = await response.json();
      retryDelay = 1000;
      show("Saved");
      applySupport(session.support);
      return session;
    } catch {
      merge(body);
      show("Not saved yet. Trying again…");
      window.setTimeout(() => save(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return null;
    } finally {
      inFlight = false;
      if (Object.keys(pending).length > 0 && retryDelay === 1000) save();
    }
  };

  root.querySelectorAll("[data-answer]").forEach((box) => {
    box.addEventListener("input", () => {
      merge({ answers: { [box.dataset.answer]: box.value } });
      show("Not saved yet…");
      window.clearTimeout(timer);
      timer = window.setTimeout(() => save(), 700);
    });
  });
  window.addEventListener("online", () => save());
  // If the tab closes or the phone locks, send what's pending; the browser finishes it for us.
  const flush = () => { if (Object.keys(pending).length > 0) save(null, { keepalive: true }); };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });

  // ---- Steps, one at a time, then the finish on its own. The place is kept in the address
  // (#step-…), so a pause, a reload or coming back later carries on where the person was. ----
  const sudsNow = root.querySelector("[data-suds-now]");
  const done = root.dataset.done === "true";
  const last = steps.length; // the finish, after the last step
  const place = () => {
    const hash = window.location.hash.replace("#", "");
    if (hash === "finish") return last;
    const at = steps.findIndex((s) => "step-" + s.dataset.stepId === hash);
    if (at >= 0) return at;
    // No place kept: the step after the last one answered.
    let answered = -1;
    steps.forEach((s, i) => { const box = s.querySelector("[data-answer]"); if (box && box.value.trim() !== "") answered = i; });
    return Math.min(answered + 1, steps.length - 1);
  };
  const render = () => {
    const finishing = current === last;
    if (done) {
      if (speech) speech.hidden = true;
      steps.forEach((s) => { s.hidden = false; });
      stepList.hidden = false;
      nav.hidden = true;
      sudsNow.hidden = true;
      finish.hidden = true;
      support.hidden = true;
      return;
    }
    steps.forEach((s, i) => { s.hidden = i !== current; });
    if (speech) speech.hidden = !canSpeak || offered || finishing;
    stepList.hidden = offered || finishing;
    nav.hidden = offered;
    // The last step asks nothing part-way: the finish asks once, at the end. During a pause the
    // scale stays, so a lower rating can carry on from here.
    sudsNow.hidden = finishing || (current === steps.length - 1 && !offered);
    prev.hidden = current === 0;
    next.hidden = offered || finishing;
    next.textContent = current === steps.length - 1 ? "Finish up" : "Next step";
    finish.hidden = offered || !finishing;
    support.hidden = !offered;
  };
  const go = (to) => {
    stopSpeech();
    current = Math.max(0, Math.min(last, to));
    window.history.replaceState(null, "", current === last ? "#finish" : "#step-" + steps[current].dataset.stepId);
    render();
    const heading = current === last ? finish.querySelector("h2") : steps[current].querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  };
  current = done ? 0 : place();
  next.addEventListener("click", () => go(current + 1));
  prev.addEventListener("click", () => go(current - 1));

  // ---- Distress: the server decides, from every rating. ----
  // When the pause is first offered it may be above the rating just given: it is brought into
  // view and announced, without taking focus from where the person is.
  const applySupport = (s) => {
    if (!s) return;
    const wasOffered = offered;
    offered = s.offered;
    if (offered && reason) reason.textContent = `${s.reason} That's a lot to feel. The next step can wait. What would help most right now?`;
    render();
    if (offered && !wasOffered) {
      const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      support.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
      show("Let's pause here. Choices that might help are at the top of the practice.");
    }
  };
  root.querySelectorAll("[data-suds='sudsNow']").forEach((radio) =>
    radio.addEventListener("change", () => save({ sudsNow: Number(radio.value) })));

  root.querySelectorAll("[data-choice]").forEach((button) => {
    button.addEventListener("click", async (e) => {
      e.preventDefault();
      const choice = button.dataset.choice;
      await save({ choice });
      if (choice === "grounding") { window.location.href = "/grounding"; return; }
      choiceResult.textContent = "";
      const p = document.createElement("p");
      p.textContent = "Your answers are saved. Take all the time you need. When you're ready, rate how you feel below, and you'll carry on from this step. You can also come back to it later from your journey.";
      choiceResult.append(p);
    });
  });
  // The one-tap reach is a form of its own; the practice notes the choice as it goes.
  const reachNow = root.querySelector("[data-reach-now]");
  if (reachNow) reachNow.addEventListener("submit", () => { merge({ choice: "reach" }); flush(); });

  // ---- Finishing: distress is asked once more, then saved, then a kind ending. ----
  const finishButton = root.querySelector("[data-finish-button]");
  finishButton.addEventListener("click", async (e) => {
    e.preventDefault();
    const after = form.querySelector("input[name='sudsAfter']:checked");
    if (!after) { show("Please rate how you feel at the end before finishing."); return; }
    // Let any save on its way land first, so finishing is never folded into it and forgotten.
    await new Promise((resolve) => { const check = () => (inFlight ? window.setTimeout(check, 50) : resolve()); check(); });
    const session = await save({ sudsAfter: Number(after.value), completed: true });
    if (session && session.completedAt) {
      window.history.replaceState(null, "", root.dataset.sessionUrl + "#ending-heading");
      window.location.reload();
    }
  });

  // ---- Paced steps: a gentle timer, and reading aloud slowly with pause and stop. ----
  root.querySelectorAll("[data-timer]").forEach((button) => {
    button.hidden = false;
    const left = button.parentElement.querySelector("[data-timer-left]");
    button.addEventListener("click", () => {
      let seconds = Number(button.dataset.timer);
      button.disabled = true;
      left.textContent = `${seconds} seconds`;
      const tick = window.setInterval(() => {
        seconds -= 1;
        if (seconds % 10 === 0 || seconds <= 5) left.textContent = `${seconds} seconds`;
        if (seconds <= 0) {
          window.clearInterval(tick);
          left.textContent = "Take your time. Go on when you're ready.";
          button.disabled = false;
        }
      }, 1000);
    });
  });
  const speech = root.querySelector("[data-speech]");
  const canSpeak = speech && "speechSynthesis" in window;
  function stopSpeech() { if (canSpeak) window.speechSynthesis.cancel(); }
  if (canSpeak) {
    speech.hidden = false;
    speech.querySelector("[data-speak]").addEventListener("click", () => {
      stopSpeech();
      const utterance = new SpeechSynthesisUtterance(steps[current].querySelector("[data-step-text]").textContent);
      utterance.rate = 0.8;
      window.speechSynthesis.speak(utterance);
    });
    speech.querySelector("[data-speech-pause]").addEventListener("click", () => {
      if (window.speechSynthesis.paused) window.speechSynthesis.resume(); else window.speechSynthesis.pause();
    });
    speech.querySelector("[data-speech-stop]").addEventListener("click", stopSpeech);
  }

  render();
  const ending = document.getElementById("ending-heading");
  if (ending && window.location.hash === "#ending-heading") ending.focus();
})();
