/**
 * deploy/haproxy.cfg is valid, and routes as deploy/README.md says: run by HAProxy in front of two
 * small HTTP servers standing for two product processes, a board's sync path always lands on the
 * same one, everything else alternates, and a process failing /healthz is left out.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployHaproxyConfig, DEPLOY_HAPROXY_CONFIG } from '../support/deploy-config';
import { checkHaproxyConfig, missingEngines, startHaproxy, type Engine } from '../support/engines';

const missing = missingEngines('haproxy').length > 0;

interface Backend {
	name: string;
	server: Server;
	port: number;
	healthy: boolean;
}

/** An HTTP server answering with its name (and the client address it was given), and on WebSockets too. */
async function startBackend(name: string): Promise<Backend> {
	const backend = { name, healthy: true } as Backend;
	backend.server = createServer((req, res) => {
		if (req.url === '/healthz') {
			res.writeHead(backend.healthy ? 200 : 503).end();
			return;
		}
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ name, forwardedFor: req.headers['x-forwarded-for'] ?? null }));
	});
	const sockets = new WebSocketServer({ server: backend.server });
	sockets.on('connection', (socket) => socket.send(name));
	await new Promise<void>((resolve) => backend.server.listen(0, '127.0.0.1', resolve));
	backend.port = (backend.server.address() as AddressInfo).port;
	return backend;
}

function get(port: number, path: string): Promise<{ name: string; forwardedFor: string | null }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => {
				try {
					resolve(JSON.parse(body));
				} catch {
					reject(new Error(`${res.statusCode}: ${body}`));
				}
			});
		});
		req.on('error', reject);
		req.end();
	});
}

function socketLandsOn(port: number, path: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
		socket.once('message', (data) => {
			socket.close();
			resolve(data.toString());
		});
		socket.once('error', reject);
	});
}

describe.skipIf(missing)(missing ? 'deploy/haproxy.cfg (skipped: haproxy is not installed here)' : 'deploy/haproxy.cfg', () => {
	let backends: Backend[] = [];
	let proxy: Engine;

	beforeAll(async () => {
		backends = [await startBackend('a'), await startBackend('b')];
		proxy = await startHaproxy((port) =>
			deployHaproxyConfig(
				port,
				backends.map((backend) => backend.port)
			)
		);
	});
	afterAll(async () => {
		await proxy?.stop();
		for (const backend of backends) {
			backend.server.closeAllConnections();
			await new Promise((resolve) => backend.server.close(resolve));
		}
	});

	it('is valid for haproxy -c', () => {
		const { valid, output } = checkHaproxyConfig(DEPLOY_HAPROXY_CONFIG);
		expect(valid, output).toBe(true);
	});

	it('sends every request of a board’s sync path to one process, whatever its query string', async () => {
		for (const board of ['board-1', 'board-2', 'board-3']) {
			const landed = new Set<string>();
			for (let i = 0; i < 6; i++) landed.add((await get(proxy.port, `/sync/${board}?attempt=${i}`)).name);
			expect(landed.size, board).toBe(1);
		}
	});

	it('spreads different boards over the processes', async () => {
		const landed = new Set<string>();
		for (let i = 0; i < 24; i++) landed.add((await get(proxy.port, `/sync/spread-${i}`)).name);
		expect([...landed].sort()).toEqual(['a', 'b']);
	});

	it('keeps a board’s WebSocket on the process its HTTP requests reach', async () => {
		const byHttp = (await get(proxy.port, '/sync/ws-board')).name;
		for (let i = 0; i < 3; i++) expect(await socketLandsOn(proxy.port, '/sync/ws-board')).toBe(byHttp);
	});

	it('alternates every other request between the processes and gives them the client address', async () => {
		const names: string[] = [];
		for (let i = 0; i < 6; i++) {
			const answer = await get(proxy.port, '/api/boards');
			expect(answer.forwardedFor).toBe('127.0.0.1');
			names.push(answer.name);
		}
		for (let i = 1; i < names.length; i++) expect(names[i]).not.toBe(names[i - 1]);
	});

	it('leaves out a process whose /healthz fails, its boards included', async () => {
		const boardOnB = await (async () => {
			for (let i = 0; i < 50; i++) if ((await get(proxy.port, `/sync/moving-${i}`)).name === 'b') return `/sync/moving-${i}`;
			throw new Error('no board hashed to b');
		})();
		backends[1].healthy = false;
		await expect.poll(async () => (await get(proxy.port, boardOnB)).name, { timeout: 30_000 }).toBe('a');
		const names = new Set<string>();
		for (let i = 0; i < 4; i++) names.add((await get(proxy.port, '/api/boards')).name);
		expect([...names]).toEqual(['a']);
	});
});
