// @hocuspocus/server 3 with its defaults (no extensions, so no persistence), on loopback only.
// `Server.listen()` passes `address` where Node expects `host` and would bind every interface, so
// the HTTP server it built is started here directly; its upgrade handler is already attached.
import { Server } from '@hocuspocus/server';

const server = new Server({ quiet: true, stopOnSignals: false });
server.httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
	console.log(`listening on http://127.0.0.1:${server.httpServer.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
