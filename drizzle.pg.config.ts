import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL migrations (`DATABASE_URL=postgres://…`); drizzle.config.ts generates SQLite's. */
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema-pg.ts',
	out: './drizzle-pg'
});
