// Letter photo: a photo of a handwritten page, re-drawn in the browser (upright, at most 2000 px, no metadata) before it is sent.
// A part of the journal editor (journal-editor.js): it keeps its own state and adds it to each save.
(window.AttuneJournalParts = window.AttuneJournalParts || []).push((root, editor) => {
  "use strict";
  const { changed } = editor;
  let photo = null; // null: unchanged; "": remove; otherwise base64 JPEG
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
        editor.showError("That file couldn't be read as an image. Please choose a PNG or JPEG photo.");
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

  return {
    collect(input) { if (photo !== null && input.letter) input.letter.photo = photo; },
    // Once the server has this photo, later saves keep it without sending it again.
    saved(input) { if (input.letter && input.letter.photo === photo) photo = null; },
  };
});
