import { resolve } from 'node:path';

/** Default port when `PORT` is not set (contract). */
export const DEFAULT_PORT = 3000;

/** Runtime configuration read from the environment (see the README's table). */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	origin: string;
}

/** Reads the configuration; `ORIGIN` defaults to http://localhost:$PORT. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
	}
	return {
		port,
		host: env.HOST || '0.0.0.0',
		dataDir: resolve(env.DATA_DIR || './data'),
		origin: (env.ORIGIN || `http://localhost:${port}`).replace(/\/$/, '')
	};
}

/** The public origin requests and sockets must come from. */
export function publicOrigin(): string {
	return readConfig().origin;
}
