// Drawing: pointer events (mouse, touch, pen with pressure), a calm palette, pen sizes, eraser, undo, redo and clear.
// A part of the journal editor (journal-editor.js): it keeps its own state and adds it to each save.
(window.AttuneJournalParts = window.AttuneJournalParts || []).push((root, editor) => {
  "use strict";
  const { changed } = editor;
  let drawingChanged = false;
  let canvas = null;
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

  return {
    // The picture is sent only when it changed since the last save that reached the server.
    collect(input) {
      input.drawing = { png: drawingChanged && canvas ? canvas.toDataURL("image/png") : null };
      drawingChanged = false;
    },
    failed(input) { if (input.drawing && input.drawing.png) drawingChanged = true; },
  };
});
