// Passkeys: "Add a passkey" on the security page and "Sign in with a passkey" on the sign-in page.
// Each is a form marked data-passkey. On submit, the script asks the page for the options
// (data-options, with the form's antiforgery token), lets the device make or use a passkey, puts
// the device's answer in the form's hidden field and sends the form. Shown only where the browser
// can do it.
(() => {
  "use strict";
  const boxes = document.querySelectorAll("[data-passkey]");
  if (!boxes.length || !window.PublicKeyCredential || !navigator.credentials) return;

  const fromB64url = (s) => {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
  };
  const toB64url = (buffer) => {
    let bin = "";
    for (const b of new Uint8Array(buffer)) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const withIds = (list) => (list || []).map((c) => ({ ...c, id: fromB64url(c.id) }));

  // Browsers that can read WebAuthn's JSON forms do it themselves; older ones get the same by hand.
  const creationOptions = (o) => PublicKeyCredential.parseCreationOptionsFromJSON
    ? PublicKeyCredential.parseCreationOptionsFromJSON(o)
    : { ...o, challenge: fromB64url(o.challenge), user: { ...o.user, id: fromB64url(o.user.id) }, excludeCredentials: withIds(o.excludeCredentials) };
  const requestOptions = (o) => PublicKeyCredential.parseRequestOptionsFromJSON
    ? PublicKeyCredential.parseRequestOptionsFromJSON(o)
    : { ...o, challenge: fromB64url(o.challenge), allowCredentials: withIds(o.allowCredentials) };
  const answer = (credential) => {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) response.userHandle = toB64url(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toB64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response,
    };
  };

  const words = {
    add: {
      waiting: "Your device will ask you to confirm with your screen lock.",
      failed: "This device didn't make a passkey. You can try again, or keep using your password.",
      stopped: "No passkey was made: it was stopped, or it took too long. You can try again whenever you like, or keep using your password.",
      already: "This device already has a passkey for Attune, so you can sign in with it now. To add another, use a different device.",
      noName: "Please give this passkey a name first, such as the device it's on.",
    },
    "sign-in": {
      waiting: "Your device will ask you to choose a passkey and confirm with your screen lock.",
      failed: "That didn't work with a passkey. You can try again, or sign in with your email and password.",
      stopped: "No passkey was used: it was stopped, or it took too long. You can try again, or sign in with your email and password.",
    },
  };

  for (const box of boxes) {
    const kind = box.dataset.passkey;
    const form = box.querySelector("form");
    const field = form.querySelector("[data-passkey-credential]");
    const status = form.querySelector("[data-passkey-status]");
    const button = form.querySelector("button[type='submit']");
    const token = form.querySelector("input[name='__RequestVerificationToken']").value;
    const say = words[kind];
    box.hidden = false;

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      // A missing name is said beside its field, and the field is marked, as the page's own errors are.
      const name = form.querySelector("[data-passkey-name]");
      const nameError = form.querySelector("[data-passkey-name-error]");
      if (name && !name.value.trim()) {
        name.setAttribute("aria-invalid", "true");
        if (nameError) nameError.textContent = say.noName;
        status.textContent = "";
        name.focus();
        return;
      }
      if (name) name.removeAttribute("aria-invalid");
      if (nameError) nameError.textContent = "";
      button.disabled = true;
      status.textContent = say.waiting;
      try {
        const response = await fetch(form.dataset.options, {
          method: "POST",
          headers: { RequestVerificationToken: token },
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error("options " + response.status);
        const options = await response.json();
        const credential = kind === "add"
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        if (!credential) throw new Error("no credential");
        field.value = JSON.stringify(answer(credential));
        // submit() sends the form as it is, without coming back through this handler.
        form.submit();
      } catch (e) {
        // The device says why: one it already holds for Attune (InvalidStateError), or stopped or
        // timed out (NotAllowedError); anything else is a plain "didn't work".
        const reason = e && e.name === "InvalidStateError" && say.already ? say.already
          : e && e.name === "NotAllowedError" ? say.stopped
          : say.failed;
        status.textContent = reason;
        button.disabled = false;
        button.focus();
      }
    });
  }
})();
