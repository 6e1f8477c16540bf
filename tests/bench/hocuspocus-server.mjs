// @hocuspocus/server 3 on loopback only: with its defaults (no extensions, so no persistence), or,
// with HOCUSPOCUS_SQLITE=<file>, with its SQLite extension storing every document in that file
// (the extension's own debounce: a document's whole state at most every 2 s while it changes).
// `Server.listen()` passes `address` where Node expects `host` and would bind every interface, so
// the HTTP server it built is started here directly; its upgrade handler is already attached.
import { Server } from '@hocuspocus/server';

const file = process.env.HOCUSPOCUS_SQLITE;
const extensions = file ? [new (await import('@hocuspocus/extension-sqlite')).SQLite({ database: file })] : [];
const server = new Server({ quiet: true, stopOnSignals: false, extensions });
server.httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
	console.log(`listening on http://127.0.0.1:${server.httpServer.address().port}${file ? ` storing in ${file}` : ''}`);
});
process.on('SIGTERM', () => process.exit(0));
