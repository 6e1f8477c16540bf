import { Column, is, SQL, getTableName, type Table } from 'drizzle-orm';
import { PgTable, getTableConfig as getPgTableConfig, type PgColumn } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as getSqliteTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from './schema-pg';
import * as sqliteSchema from './schema';

/**
 * The two schemas hold the same data: one must not gain a table, a column, a key or an index the
 * other lacks. Types are compared through the mapping schema-pg.ts documents.
 */

/** SQLite's kind of a column → the PostgreSQL type it maps to. */
const TYPE_MAP: Record<string, string> = {
	text: 'text',
	integer: 'bigint',
	boolean: 'boolean',
	blob: 'bytea'
};

/** SQL defaults, written in SQLite → the same default in PostgreSQL. */
const SQL_DEFAULT_MAP: Record<string, string> = {
	'(unixepoch() * 1000)': '(extract(epoch from now()) * 1000)::bigint'
};

interface ColumnShape {
	type: string;
	notNull: boolean;
	primary: boolean;
	unique: boolean;
	autoIncrement: boolean;
	default: string | null;
	enumValues: string[] | null;
}

interface TableShape {
	columns: Record<string, ColumnShape>;
	primaryKeys: string[][];
	uniques: string[][];
	indexes: Record<string, { columns: string[]; unique: boolean; where: string | null }>;
	foreignKeys: string[];
}

function sqlText(value: SQL): string {
	return value.queryChunks
		.map((chunk) => {
			if (is(chunk, Column)) return chunk.name;
			return typeof chunk === 'object' && chunk && 'value' in chunk ? (chunk.value as string[]).join('') : String(chunk);
		})
		.join('');
}

function defaultOf(value: unknown): string | null {
	if (value === undefined) return null;
	if (is(value, SQL)) return `sql:${sqlText(value)}`;
	return JSON.stringify(value);
}

function sqliteKind(column: SQLiteColumn): string {
	if (column.columnType === 'SQLiteBoolean') return 'boolean';
	return column.getSQLType();
}

function sqliteShape(table: SQLiteTable): TableShape {
	const config = getSqliteTableConfig(table);
	const columns: Record<string, ColumnShape> = {};
	for (const column of config.columns) {
		const sqliteDefault = defaultOf(column.default);
		const mappedDefault = sqliteDefault?.startsWith('sql:')
			? `sql:${SQL_DEFAULT_MAP[sqliteDefault.slice(4)] ?? `unmapped ${sqliteDefault}`}`
			: sqliteDefault;
		columns[column.name] = {
			type: TYPE_MAP[sqliteKind(column)] ?? `unmapped ${sqliteKind(column)}`,
			notNull: column.notNull,
			primary: column.primary,
			unique: column.isUnique,
			autoIncrement: 'autoIncrement' in column && column.autoIncrement === true,
			default: mappedDefault,
			enumValues: column.enumValues ?? null
		};
	}
	return {
		columns,
		primaryKeys: config.primaryKeys.map((key) => key.columns.map((column) => column.name)),
		uniques: config.uniqueConstraints.map((unique) => unique.columns.map((column) => column.name)),
		indexes: Object.fromEntries(
			config.indexes.map((index) => [
				index.config.name,
				{
					columns: index.config.columns.map((column) => (column as SQLiteColumn).name),
					unique: index.config.unique,
					where: index.config.where ? sqlText(index.config.where) : null
				}
			])
		),
		foreignKeys: config.foreignKeys.map((key) => {
			const reference = key.reference();
			return `${reference.columns.map((column) => column.name).join(',')} → ${getTableName(reference.foreignTable)}(${reference.foreignColumns.map((column) => column.name).join(',')}) on delete ${key.onDelete ?? 'no action'}`;
		})
	};
}

function pgShape(table: PgTable): TableShape {
	const config = getPgTableConfig(table);
	const columns: Record<string, ColumnShape> = {};
	for (const column of config.columns as PgColumn[]) {
		columns[column.name] = {
			type: column.getSQLType(),
			notNull: column.notNull,
			primary: column.primary,
			unique: column.isUnique,
			autoIncrement: column.generatedIdentity !== undefined,
			default: defaultOf(column.default),
			enumValues: column.enumValues ?? null
		};
	}
	return {
		columns,
		primaryKeys: config.primaryKeys.map((key) => key.columns.map((column) => column.name)),
		uniques: config.uniqueConstraints.map((unique) => unique.columns.map((column) => column.name)),
		indexes: Object.fromEntries(
			config.indexes.map((index) => [
				index.config.name as string,
				{
					columns: index.config.columns.map((column) => (column as PgColumn).name),
					unique: index.config.unique,
					where: index.config.where ? sqlText(index.config.where) : null
				}
			])
		),
		foreignKeys: config.foreignKeys.map((key) => {
			const reference = key.reference();
			return `${reference.columns.map((column) => column.name).join(',')} → ${getTableName(reference.foreignTable)}(${reference.foreignColumns.map((column) => column.name).join(',')}) on delete ${key.onDelete ?? 'no action'}`;
		})
	};
}

const sqliteTables = new Map(
	Object.values(sqliteSchema as Record<string, unknown>)
		.filter((value): value is SQLiteTable => is(value, SQLiteTable))
		.map((table) => [getTableName(table), table])
);
const pgTables = new Map(
	Object.values(pgSchema as Record<string, unknown>)
		.filter((value): value is PgTable => is(value, PgTable))
		.map((table) => [getTableName(table), table])
);

describe('the SQLite and PostgreSQL schemas', () => {
	it('have the same tables', () => {
		expect(sqliteTables.size).toBeGreaterThan(10);
		expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
	});

	it('export each table under the same name, so services import either', () => {
		const names = (schema: Record<string, unknown>, kind: typeof SQLiteTable | typeof PgTable) =>
			Object.entries(schema)
				.filter(([, value]) => is(value, kind))
				.map(([name, value]) => `${name}=${getTableName(value as Table)}`)
				.sort();
		expect(names(pgSchema, PgTable)).toEqual(names(sqliteSchema, SQLiteTable));
	});

	for (const [name, sqliteTable] of sqliteTables) {
		it(`map ${name} faithfully: columns, types, nullability, defaults, keys, indexes`, () => {
			const pgTable = pgTables.get(name);
			expect(pgTable, `${name} is missing from schema-pg.ts`).toBeDefined();
			expect(pgShape(pgTable!)).toEqual(sqliteShape(sqliteTable));
		});
	}

	it('has a type mapping for every SQLite column kind in use', () => {
		const kinds = new Set([...sqliteTables.values()].flatMap((table) => getSqliteTableConfig(table).columns.map(sqliteKind)));
		expect([...kinds].filter((kind) => !(kind in TYPE_MAP))).toEqual([]);
	});

	it('notice a drift: a column made nullable on one side only is caught', () => {
		const shape = sqliteShape(sqliteSchema.users);
		const drifted = structuredClone(shape);
		drifted.columns.email.notNull = false;
		expect(drifted).not.toEqual(pgShape(pgSchema.users));
		expect(shape).toEqual(pgShape(pgSchema.users));
	});
});
