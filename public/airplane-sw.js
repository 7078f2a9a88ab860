/**
 * polyclass airplane mode, loaded into the app's service worker (vite.config.ts,
 * `workbox.importScripts`) before Workbox's own routes, so it sees every request first.
 *
 * It also gives every worker script it serves the app's Content-Security-Policy header
 * (`self.POLYCLASS_CSP`, from `csp-policy.js`, imported just before this file), unless the
 * response has one: workers do not inherit the page's `<meta>` policy, so an installed app runs
 * its workers under the policy on any host, whatever headers that host sends. A worker started
 * for an LLM server on this computer gets exactly that server's origin added.
 *
 * When the page switches it on (a `polyclass-airplane` message; the state is kept in Cache
 * Storage, so a restarted service worker still knows it), every request of the app, its
 * workers included, is answered from the browser's caches or refused with a 503: nothing goes
 * to the network. Requests to a server on this computer (an LLM server) pass: they stay on it. Each refusal is told to the app's windows, which show it.
 */
const AIRPLANE_CACHE = 'polyclass-airplane';
const AIRPLANE_KEY = '/__polyclass-airplane-state';
const BLOCKED_KEPT = 50;

/** On, off, or null until the stored state is read. */
let airplane = null;
/** Addresses refused since airplane mode was last switched on (newest last). */
let blocked = [];
let blockedCount = 0;

const stored = caches
  .open(AIRPLANE_CACHE)
  .then((cache) => cache.match(AIRPLANE_KEY))
  .then((response) => (response ? response.json() : { on: false }))
  .then((state) => {
    if (airplane === null) airplane = Boolean(state.on);
    return airplane;
  })
  .catch(() => {
    if (airplane === null) airplane = false;
    return airplane;
  });

function status() {
  return { type: 'polyclass-airplane-status', on: airplane === true, blocked, blockedCount };
}

async function tellWindows() {
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
    client.postMessage(status());
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || typeof data !== 'object') return;
  if (data.type === 'polyclass-airplane') {
    const was = airplane;
    airplane = Boolean(data.on);
    // Switched on anew: a fresh count (the page repeats the setting at every start).
    if (airplane && was !== true) {
      blocked = [];
      blockedCount = 0;
    }
    event.waitUntil(
      caches
        .open(AIRPLANE_CACHE)
        .then((cache) => cache.put(AIRPLANE_KEY, new Response(JSON.stringify({ on: airplane }))))
        .then(tellWindows),
    );
  } else if (data.type === 'polyclass-airplane-query') {
    event.waitUntil(stored.then(() => event.source && event.source.postMessage(status())));
  }
});

/** The app's own start page, for navigations while airplane mode is on. */
const appShell = () => new URL('index.html', self.registration.scope).href;

/**
 * As Workbox's precache stores them: keyed with a revision query, and a `Vary` that a
 * module script's CORS request (with an `Origin` header) would not match.
 */
const MATCH = { ignoreSearch: true, ignoreVary: true };

async function answer(request) {
  const on = airplane === null ? await stored : airplane;
  const cached =
    (await caches.match(request, MATCH)) ||
    (request.mode === 'navigate' ? await caches.match(appShell(), MATCH) : undefined);
  if (cached) return cached;
  if (!on) return fetch(request);
  blockedCount++;
  blocked.push(request.url);
  if (blocked.length > BLOCKED_KEPT) blocked.shift();
  void tellWindows();
  return new Response('Blocked by polyclass airplane mode: nothing goes to the network.', {
    status: 503,
    statusText: 'Airplane mode',
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-polyclass-airplane': 'blocked' },
  });
}

/**
 * A worker script's response with the app's Content-Security-Policy header, unless it has one;
 * a worker started for a server on this computer (`?server=` in its address) gets that one
 * origin added to the policy it has (`self.POLYCLASS_CSP_FOR`, tools/csp.ts `policyFor`).
 */
function withPolicy(request, response) {
  const base = self.POLYCLASS_CSP;
  if (!base || response.type === 'opaque') return response;
  const sent = response.headers.get('content-security-policy');
  const policy = self.POLYCLASS_CSP_FOR ? self.POLYCLASS_CSP_FOR(sent || base, request.url) : sent || base;
  if (policy === sent) return response;
  const headers = new Headers(response.headers);
  headers.set('content-security-policy', policy);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * A server on this computer other than the app's own (an LLM server the user runs, such as
 * Ollama): its requests never reach the network, so airplane mode lets them through. These are
 * the names a worker started for such a server may reach (tools/csp.ts `policyFor`).
 */
function onThisComputer(url) {
  const { hostname, origin } = new URL(url);
  return (
    origin !== self.location.origin &&
    (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1')
  );
}

self.addEventListener('fetch', (event) => {
  if (onThisComputer(event.request.url)) return;
  if (event.request.destination === 'worker') {
    event.respondWith(answer(event.request).then((response) => withPolicy(event.request, response)));
    return;
  }
  // Off: Workbox's routes answer as usual.
  if (airplane === false) return;
  event.respondWith(answer(event.request));
});
