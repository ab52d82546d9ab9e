/* global self, caches */
/**
 * Coopetition service worker: the app opens offline after one visit.
 * - Navigations: network first (a fresh shell when online), the cached shell when the
 *   network fails or is too slow for a crowded venue.
 * - Hashed build assets (/assets/*): cache first; they never change under one name.
 * - /api and /socket.io: never touched, never cached (the scan outbox handles offline).
 * The build replaces PRECACHE and BUILD_ID below with this build's files, so every
 * deploy installs a new worker that caches the new assets and drops the old ones.
 */
const BUILD_ID = 'dev';
const PRECACHE = [];

const CACHE = `coopetition-${BUILD_ID}`;
const SHELL = '/';
const NAVIGATION_TIMEOUT_MS = 3500;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('coopetition-') && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isUncachable(url) {
  return url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/');
}

async function navigation(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (response.ok) void cache.put(SHELL, response.clone());
    return response;
  });
  // On a saturated venue network, waiting a minute for the shell is worse than a cached one.
  const timeout = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
    network.finally(() => clearTimeout(timer)).catch(() => undefined);
  });
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const cached = await cache.match(SHELL);
    return cached ?? (await network);
  } catch {
    const cached = await cache.match(SHELL);
    return cached ?? Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') void cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isUncachable(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});
