import { resolve } from 'node:path';

/** Default port when `PORT` is not set (contract). */
export const DEFAULT_PORT = 3000;

/** Runtime configuration read from the environment (see the README's table). */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	origin: string;
	/** Largest evidence upload in bytes (`UPLOAD_LIMIT_MB`, default 10). */
	uploadLimitBytes: number;
}

/** Default evidence upload limit in megabytes. */
export const DEFAULT_UPLOAD_LIMIT_MB = 10;

/** Reads the configuration; `ORIGIN` defaults to http://localhost:$PORT. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
	}
	const uploadLimitMb = env.UPLOAD_LIMIT_MB ? Number(env.UPLOAD_LIMIT_MB) : DEFAULT_UPLOAD_LIMIT_MB;
	if (!Number.isFinite(uploadLimitMb) || uploadLimitMb <= 0) {
		throw new Error(`UPLOAD_LIMIT_MB must be a positive number, got "${env.UPLOAD_LIMIT_MB}"`);
	}
	return {
		port,
		host: env.HOST || '0.0.0.0',
		dataDir: resolve(env.DATA_DIR || './data'),
		origin: (env.ORIGIN || `http://localhost:${port}`).replace(/\/$/, ''),
		uploadLimitBytes: Math.round(uploadLimitMb * 1024 * 1024)
	};
}

/** The public origin requests and sockets must come from. */
export function publicOrigin(): string {
	return readConfig().origin;
}
