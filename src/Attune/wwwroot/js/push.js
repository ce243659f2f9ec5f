// "Turn on notices here": registers Attune's service worker, subscribes this browser to push with
// Attune's VAPID key, and saves the subscription. Shown only where the browser can do it.
(() => {
  "use strict";
  const box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) return;
  box.hidden = false;
  const status = box.querySelector("[data-push-status]");
  const token = box.querySelector("input[name='__RequestVerificationToken']").value;
  const key = (b64) => {
    const s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  box.querySelector("[data-push-on]").addEventListener("click", async () => {
    try {
      if (await Notification.requestPermission() !== "granted") {
        status.textContent = "Notices are off in this browser's settings. That's fine; you'll still get an email.";
        return;
      }
      const registration = await navigator.serviceWorker.register("/sw.js");
      const { publicKey } = await (await fetch("/circle?handler=PushKey")).json();
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(publicKey) });
      const response = await fetch("/circle?handler=Subscribe", {
        method: "POST",
        headers: { "Content-Type": "application/json", RequestVerificationToken: token },
        body: JSON.stringify(subscription.toJSON()),
      });
      status.textContent = response.ok ? "Notices are on for this device." : "That didn't work. Please try again.";
    } catch (e) {
      status.textContent = "This browser couldn't turn on notices. You'll still get an email.";
    }
  });
})();
