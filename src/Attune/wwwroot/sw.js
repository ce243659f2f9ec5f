// Attune's service worker: shows push notices and opens the page they point to. A notice carries
// only Attune's own words and an address inside Attune; the page itself shows the rest after sign-in.
self.addEventListener("push", (event) => {
  let data = { title: "Attune", body: "Something new in Attune.", url: "/" };
  try { if (event.data) data = event.data.json(); } catch (e) { /* keep the default */ }
  event.waitUntil(self.registration.showNotification(data.title || "Attune", {
    body: data.body, icon: "/favicon.svg", badge: "/favicon.svg", data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    for (const w of windows) { if ("focus" in w) { w.navigate(url.href); return w.focus(); } }
    return self.clients.openWindow(url.href);
  }));
});
