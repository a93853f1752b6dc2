// Tsuzuri's service worker: precaches every file of the build so the editor opens offline.
// scripts/precache fills in the build id and the file list after each build; a new build
// therefore changes this file, which is how the browser notices an update.
const BUILD_ID = '__TSUZURI_BUILD_ID__';
const PRECACHE = ['./', /* __TSUZURI_PRECACHE__ */];
const CACHE = `tsuzuri-${BUILD_ID}`;
// Caches of earlier builds kept besides this one's. A tab opened on an earlier build keeps
// running it after an update, and loads its dialogs and codec worker only when first wanted,
// under hashed names this build no longer has; its own build's cache still holds them.
const EARLIER_BUILDS_KEPT = 2;

self.addEventListener('install', (event) => {
  // Fetched past the HTTP cache: a cached copy of an unhashed file (the page) could belong to
  // the build before, and would name files this one no longer has.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))));
  // No skipWaiting here: a new version waits until the author chooses "Reload to update",
  // after the open draft has been saved.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => {
        // Cache names come in the order the caches were made, so the oldest are first.
        const earlier = keys.filter((key) => key.startsWith('tsuzuri-') && key !== CACHE);
        const stale = earlier.slice(0, Math.max(0, earlier.length - EARLIER_BUILDS_KEPT));
        return Promise.all(stale.map((key) => caches.delete(key)));
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Only our own files; anything else (a link card's metadata service) goes to the network.
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match('./').then((cached) => cached || fetch(request))),
    );
    return;
  }
  // This build's copy first; a file it lacks belongs to an earlier build still open in a tab.
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((cached) => cached || caches.match(request, { ignoreSearch: true }))
      .then((cached) => cached || fetch(request)),
  );
});
