import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { analyzeJourney } from '../../journey/analysis';
import { compareJourneys } from '../../journey/compare';
import { readJourney } from '../../journey/document';
import { withFallbacks } from '../../journey/invalid-fields';
import type { ReportContext } from '../../journey/export/report';
import { actionsOf } from '../../journey/actions';
import type { Action, Journey } from '../../journey/schema';
import type { Locale } from '../../i18n';
import { startingBoard, type StartingBoard } from '../board-start';
import { docOf, foldedSnapshot, type FoldedSnapshot } from '../doc-store';
import { exportFormat } from '../export/formats';
import { fontCharacters, fontSlice } from '../../fonts/font-cutting.server';
import { restoringEdit, versionState, type VersionState } from './version-states';

/** What a render worker is asked: a board's journey from its stored updates, a product of a journey, a new board's document, a version to keep or restore, or a cut of the shipped font. */
export type ReadTask =
	| { kind: 'journey'; updates: Uint8Array[] }
	| { kind: 'version'; state: Uint8Array }
	| { kind: 'compare'; before: Uint8Array; after: Uint8Array }
	| { kind: 'analysis'; journey: Uint8Array }
	| { kind: 'export'; format: string; journey: Uint8Array; locale: Locale; context?: ReportContext }
	| { kind: 'board'; body: Uint8Array; locale: Locale }
	| { kind: 'version-state'; updates: Uint8Array[] }
	| { kind: 'snapshot'; updates: Uint8Array[] }
	| { kind: 'restore'; updates: Uint8Array[]; version: Uint8Array }
	| { kind: 'gzip'; bytes: Uint8Array }
	| { kind: 'font-characters'; path: string }
	| { kind: 'font-slice'; path: string; characters: string };

/** A board's journey as served: its JSON and what is needed about it without parsing that again. */
export interface JourneyRead {
	/** `JSON.stringify` of the journey in UTF-8, as `GET /journey` answers it. */
	json: Uint8Array;
	title: string;
	/** Touchpoints (cards) on the board: what the size of a rendering grows with. */
	cards: number;
	/** The board's actions, what a person's work list needs of them (`GET /api/me/actions`). */
	actions: ActionEntry[];
}

/** An action as a person's work list shows it. */
export type ActionEntry = Pick<Action, 'id' | 'title' | 'status' | 'owner' | 'assigneeId' | 'due'>;

/** What a task gives back: a journey, the body of a response in UTF-8 or binary, a new board's document, a version's state, a restoring edit or a font's code points. */
export type ReadResult = JourneyRead | Uint8Array | StartingBoard | VersionState | FoldedSnapshot | number[];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The journey a document holds, read as `GET /journey` answers it; the document is destroyed. */
function journeyRead(doc: Y.Doc): JourneyRead {
	try {
		const journey = readJourney(doc);
		const actions = actionsOf(journey).map(({ id, title, status, owner, assigneeId, due }) => ({
			id,
			title,
			status,
			owner,
			assigneeId,
			due
		}));
		return { json: encoder.encode(JSON.stringify(journey)), title: journey.title, cards: journey.touchpoints.length, actions };
	} finally {
		doc.destroy();
	}
}

/** A journey's JSON read back as the app reads it: the JSON leaves unreadable fields out. */
function parsed(json: Uint8Array): Journey {
	return withFallbacks(JSON.parse(decoder.decode(json)) as Journey);
}

/** Does one task; the same code runs in a render worker and, without workers (`vite dev`), in-process. */
export async function deriveRead(task: ReadTask): Promise<ReadResult> {
	if (task.kind === 'board') return startingBoard(task.body, task.locale);
	if (task.kind === 'gzip') return new Uint8Array(gzipSync(task.bytes));
	if (task.kind === 'font-characters') return fontCharacters(task.path);
	if (task.kind === 'font-slice') return fontSlice(task.path, task.characters);
	if (task.kind === 'version-state') return versionState(task.updates);
	if (task.kind === 'snapshot') return foldedSnapshot(task.updates);
	if (task.kind === 'restore') return restoringEdit(task.updates, task.version);
	if (task.kind === 'journey') {
		const [snapshot = null, ...log] = task.updates;
		return journeyRead(docOf(snapshot, log));
	}
	if (task.kind === 'version') {
		const doc = new Y.Doc();
		Y.applyUpdateV2(doc, task.state);
		return journeyRead(doc);
	}
	if (task.kind === 'compare')
		return encoder.encode(JSON.stringify({ comparison: compareJourneys(parsed(task.before), parsed(task.after)) }));
	const journey = parsed(task.journey);
	if (task.kind === 'analysis') return encoder.encode(JSON.stringify(analyzeJourney(journey)));
	const format = exportFormat(task.format);
	if (!format) throw new Error(`No export format "${task.format}"`);
	const body = await format.render(journey, task.locale, task.context);
	// Encoded here, so the main thread only copies bytes; a Buffer crosses as a plain Uint8Array.
	return typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}
