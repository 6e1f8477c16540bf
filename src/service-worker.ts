/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

// Lets a board reload while offline: the app's files are cached when installed, and each board
// page is kept from its last visit (network first), so the page boots from the cache and the
// board's document from IndexedDB; edits merge when the connection returns.
const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `assets-${version}`;
const PAGES = 'pages';
/** A board page and its data request (the board page renders in the browser from that data). */
const OFFLINE_PAGE = /^\/boards\/[^/]+(\/__data\.json)?$/;

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS)
			.then((cache) => cache.addAll([...build, ...files]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== ASSETS && key !== PAGES).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if ([...build, ...files].includes(url.pathname)) {
		event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)));
		return;
	}
	// Signing out or in forgets the pages kept for offline use.
	if (request.mode === 'navigate' && (url.pathname === '/login' || url.pathname === '/signup')) {
		event.waitUntil(caches.delete(PAGES));
		return;
	}
	if (!OFFLINE_PAGE.test(url.pathname)) return;
	event.respondWith(
		fetch(request)
			.then(async (response) => {
				if (response.ok && !response.redirected) await (await caches.open(PAGES)).put(url.origin + url.pathname, response.clone());
				return response;
			})
			.catch(async () => (await caches.match(request, { cacheName: PAGES, ignoreSearch: true })) ?? Response.error())
	);
});
