// The canvas needs the DOM, IndexedDB and a WebSocket: render it in the browser only.
export const ssr = false;
