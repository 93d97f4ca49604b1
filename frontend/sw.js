// Stegvis service worker (template). `cargo xtask build-app` writes dist/sw.js from
// this file, replacing the two placeholders below with the build's version (a hash
// of its files) and the list of files to precache, so every build is a new
// service-worker version.
//
// - install: precache the app shell (index.html, wasm, js, css, manifest, icons);
//   the new version then waits until the page asks it to take over
//   ({type: "SKIP_WAITING"}), so a pending record is never lost to a reload.
// - activate: delete the caches of older versions.
// - fetch: /api/ and the office desk (/desk/, its own page and bundle, online-only)
//   are never cached; navigations go to the network first and fall back to the
//   cached /index.html; other same-origin GETs are cache-first.

const VERSION = "__STEGVIS_VERSION__";
const PRECACHE = __STEGVIS_PRECACHE__;
const CACHE = "stegvis-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith("stegvis-") && name !== CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

async function networkFirstIndex(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      cache.put("/index.html", response.clone());
    }
    return response;
  } catch (error) {
    const cached = (await cache.match("/index.html")) || (await caches.match("/index.html"));
    if (cached) {
      return cached;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return; // never cached: the network answers or fails
  }
  if (url.pathname === "/desk" || url.pathname.startsWith("/desk/")) {
    return; // the office desk: its own page and bundle, online-only, never cached here
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirstIndex(request));
    return;
  }
  if (url.pathname === "/sw.js") {
    return;
  }
  event.respondWith(cacheFirst(request));
});
