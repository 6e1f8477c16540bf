// The PostgreSQL backup (`npm run backup -- <dir>` with DATABASE_URL): `pg_dump --format=custom`
// of the whole database into `<dir>/journey.dump` while the processes run and people edit.
//
// The dump reads one snapshot of the database, exported by a read-only transaction this script
// holds open until pg_dump is done, so the counts it prints are those of the dump. Uploaded
// files are rows of that database (`file_contents`), so nothing else needs copying. Restore into
// an empty database with `pg_restore --no-owner --dbname=<url> <dir>/journey.dump`.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { BackupError } from './backup-error.js';

export const DUMP_FILE = 'journey.dump';
/** How long to wait for the database to accept a connection before saying it is unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Where Debian installs each PostgreSQL version's programs. */
const DEBIAN_POSTGRES_DIR = '/usr/lib/postgresql';

/**
 * Dumps the PostgreSQL database at `url` into `destination/journey.dump`.
 * @param {string} url
 * @param {string} destination
 */
export async function backupPostgres(url, destination) {
	if (!/^postgres(ql)?:\/\//i.test(url)) throw new BackupError('DATABASE_URL must start with postgres:// or postgresql://');
	const target = join(destination, DUMP_FILE);
	if (existsSync(target)) throw new BackupError(`${target} exists already; choose a new backup directory.`);
	const pgDump = findTool('pg_dump');
	const { connection, password, shown } = splitPassword(url);

	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
	client.on('error', () => {});
	try {
		await client.connect();
	} catch (error) {
		throw new BackupError(`Cannot connect to the database at ${shown}: ${messageOf(error)}`);
	}
	const partial = `${target}.part`;
	/** @type {{ boards: string; files: string; bytes: string }} */
	let counts;
	try {
		// One snapshot for the counts and the dump: pg_dump imports it and reads nothing newer.
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
		const snapshot = (await client.query('SELECT pg_export_snapshot() AS id')).rows[0].id;
		counts = (
			await client
				.query(
					`SELECT (SELECT count(*) FROM boards) AS boards, (SELECT count(*) FROM files) AS files,
					(SELECT coalesce(sum(length(content)), 0) FROM file_contents) AS bytes`
				)
				.catch((error) => {
					throw new BackupError(
						`${shown} does not look like this product's database (${messageOf(error)}): start the server on it once to create its tables.`
					);
				})
		).rows[0];
		await mkdir(destination, { recursive: true });
		await rm(partial, { force: true });
		await run(pgDump, ['--format=custom', `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${connection}`], password);
		await client.query('COMMIT');
	} catch (error) {
		await rm(partial, { force: true });
		throw error;
	} finally {
		await client.end().catch(() => {});
	}
	// A dump pg_restore cannot list is no backup: check it before it takes the real name.
	const pgRestore = findToolOrNull('pg_restore');
	if (pgRestore) await run(pgRestore, ['--list', partial], undefined);
	await rename(partial, target);
	const megabytes = Math.round((Number(counts.bytes) / 1024 / 1024) * 10) / 10;
	console.log(`Backed up ${counts.boards} boards and ${counts.files} files (${megabytes} MB of files) from ${shown} to ${target}`);
}

/**
 * The URL without its password (kept out of the process list), the password for `PGPASSWORD`,
 * and what to show of the URL in messages.
 * @param {string} url
 */
function splitPassword(url) {
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		throw new BackupError('DATABASE_URL is not a valid URL');
	}
	const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
	parsed.password = '';
	return { connection: parsed.toString(), password, shown: `${parsed.host}${parsed.pathname}` };
}

/**
 * Runs a PostgreSQL program; rejects with what it wrote when it fails.
 * @param {string} program
 * @param {string[]} args
 * @param {string | undefined} password
 * @returns {Promise<void>}
 */
function run(program, args, password) {
	return new Promise((resolve, reject) => {
		const env = password === undefined ? process.env : { ...process.env, PGPASSWORD: password };
		const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
		let output = '';
		child.stderr.on('data', (chunk) => (output += chunk));
		child.once('error', (error) => reject(new BackupError(`Cannot run ${program}: ${error.message}`)));
		child.once('close', (code) => {
			if (code === 0) resolve();
			else reject(new BackupError(`${program} failed (exit code ${code}):\n${output.trim()}`));
		});
	});
}

/**
 * A PostgreSQL program: the one `PG_DUMP` names for pg_dump, else from PATH, else Debian's newest.
 * @param {string} name
 */
function findTool(name) {
	const named = name === 'pg_dump' ? process.env.PG_DUMP : undefined;
	if (named) {
		if (!executable(named)) throw new BackupError(`PG_DUMP names ${named}, which is not an executable program.`);
		return named;
	}
	const found = findToolOrNull(name);
	if (!found) {
		throw new BackupError(
			`${name} was not found on PATH nor in ${DEBIAN_POSTGRES_DIR}/*/bin: install PostgreSQL's client programs ` +
				`(Debian: apt-get install postgresql-client) of the server's major version or newer, or name it with PG_DUMP=/path/to/${name}.`
		);
	}
	return found;
}

/** @param {string} name */
function findToolOrNull(name) {
	const debian = existsSync(DEBIAN_POSTGRES_DIR)
		? readdirSync(DEBIAN_POSTGRES_DIR)
				.filter((version) => /^\d+$/.test(version))
				.sort((a, b) => Number(b) - Number(a))
				.map((version) => join(DEBIAN_POSTGRES_DIR, version, 'bin'))
		: [];
	const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...debian];
	return dirs.map((dir) => join(dir, name)).find(executable) ?? null;
}

/** @param {string} path */
function executable(path) {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** @param {unknown} error */
function messageOf(error) {
	if (!(error instanceof Error)) return String(error);
	// node-postgres reports a refused connection as an AggregateError with an empty message.
	if (error.message) return error.message;
	const code = /** @type {{ code?: string }} */ (error).code;
	return code === 'ECONNREFUSED' ? 'the connection was refused (is PostgreSQL running, and on this host and port?)' : (code ?? error.name);
}
