import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { hashToken } from './invites';
import { newId, randomBytes } from './random-ids';
import { refuse, type Refusal } from './service-result';

/** Intake tokens carry 160 bits; only their SHA-256 is stored. */
const INTAKE_TOKEN_BYTES = 20;
/** Prefix of every intake token, so one found in a log or a repository is recognised. */
export const INTAKE_TOKEN_PREFIX = 'jit_';
/** Intake tokens one board may have at once. */
export const MAX_INTAKE_TOKENS_PER_BOARD = 20;
export const INTAKE_TOKEN_NAME_MAX_LENGTH = 100;

export const intakeTokenInput = z.object({
	name: z
		.string({ error: 'name is required' })
		.trim()
		.min(1, 'name must not be empty')
		.max(INTAKE_TOKEN_NAME_MAX_LENGTH, `name must be at most ${INTAKE_TOKEN_NAME_MAX_LENGTH} characters`)
});

export interface IntakeTokenView {
	id: string;
	name: string;
	createdAt: string;
	lastUsedAt: string | null;
}

/** Creates an intake token for a board; the token is returned this once and never stored. */
export async function createIntakeToken(
	db: Db,
	boardId: string,
	createdBy: string,
	name: string,
	now = Date.now()
): Promise<{ ok: true; id: string; name: string; token: string; createdAt: string } | Refusal> {
	const token = INTAKE_TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(randomBytes(INTAKE_TOKEN_BYTES));
	const tokenHash = hashToken(token);
	const id = newId();
	const created = await transaction(db, async (tx) => {
		const { intakeTokens } = tables(tx);
		const [held] = await tx.select({ n: count() }).from(intakeTokens).where(eq(intakeTokens.boardId, boardId)).limit(1);
		if (held.n >= MAX_INTAKE_TOKENS_PER_BOARD) return false;
		await tx.insert(intakeTokens).values({ id, tokenHash, boardId, name, createdBy, createdAt: now });
		return true;
	});
	if (!created) return refuse(409, `A board may have at most ${MAX_INTAKE_TOKENS_PER_BOARD} intake tokens; revoke one first`);
	return { ok: true, id, name, token, createdAt: new Date(now).toISOString() };
}

/** A board's intake tokens, newest first, without their secrets. */
export async function listIntakeTokens(db: Db, boardId: string): Promise<IntakeTokenView[]> {
	const { intakeTokens } = tables(db);
	const rows = await db.select().from(intakeTokens).where(eq(intakeTokens.boardId, boardId)).orderBy(desc(intakeTokens.createdAt));
	return rows.map((token) => ({
		id: token.id,
		name: token.name,
		createdAt: new Date(token.createdAt).toISOString(),
		lastUsedAt: token.lastUsedAt === null ? null : new Date(token.lastUsedAt).toISOString()
	}));
}

/** Revokes (deletes) a token, so it stops working at once; false when the board has no such token. */
export async function revokeIntakeToken(db: Db, boardId: string, tokenId: string): Promise<boolean> {
	const { intakeTokens } = tables(db);
	const revoked = await db
		.delete(intakeTokens)
		.where(and(eq(intakeTokens.id, tokenId), eq(intakeTokens.boardId, boardId)))
		.returning({ id: intakeTokens.id });
	return revoked.length > 0;
}

/** How precisely `lastUsedAt` is kept: a busy token writes it at most once a minute. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** The token's id and board; null for a token that is unknown or revoked. */
export async function findIntakeToken(db: Db, token: string): Promise<{ id: string; boardId: string; lastUsedAt: number | null } | null> {
	const { intakeTokens } = tables(db);
	const [row] = await db
		.select({ id: intakeTokens.id, boardId: intakeTokens.boardId, lastUsedAt: intakeTokens.lastUsedAt })
		.from(intakeTokens)
		.where(eq(intakeTokens.tokenHash, hashToken(token)))
		.limit(1);
	return row ?? null;
}

/** Notes a token's use, unless it was noted less than `LAST_USED_RESOLUTION_MS` ago. */
export async function noteIntakeTokenUse(db: Db, token: { id: string; lastUsedAt: number | null }, now = Date.now()): Promise<void> {
	if (token.lastUsedAt !== null && now - token.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
	const { intakeTokens } = tables(db);
	await db.update(intakeTokens).set({ lastUsedAt: now }).where(eq(intakeTokens.id, token.id));
}
