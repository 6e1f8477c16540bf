// `npm run backup -- <dir>`: a consistent copy of the product's data while the server runs and
// people edit. With DATABASE_URL set, a `pg_dump` of the PostgreSQL database (which holds the
// uploaded files too) into `<dir>/journey.dump` (./backup-postgres.js); without it, the SQLite
// database of DATA_DIR and its uploaded files (./backup-sqlite.js).
import { resolve } from 'node:path';
import { BackupError } from './backup-error.js';
import { backupPostgres } from './backup-postgres.js';
import { backupSqlite } from './backup-sqlite.js';

const target = process.argv[2];
if (!target || target.startsWith('-')) {
	console.error(
		'Usage: npm run backup -- <backup directory>   (DATABASE_URL names the PostgreSQL database to back up; without it, DATA_DIR names the data, default ./data)'
	);
	process.exit(2);
}

try {
	const databaseUrl = process.env.DATABASE_URL;
	if (databaseUrl) await backupPostgres(databaseUrl, resolve(target));
	else await backupSqlite(resolve(process.env.DATA_DIR || './data'), resolve(target));
} catch (error) {
	if (!(error instanceof BackupError)) throw error;
	console.error(error.message);
	process.exit(1);
}
