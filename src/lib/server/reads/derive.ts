import { analyzeJourney } from '../../journey/analysis';
import { readJourney } from '../../journey/document';
import { withFallbacks } from '../../journey/invalid-fields';
import type { ReportContext } from '../../journey/export/report';
import type { Journey } from '../../journey/schema';
import type { Locale } from '../../i18n';
import { docOf } from '../doc-store';
import { exportFormat } from '../export/formats';

/** What a render worker is asked: a board's journey from its stored updates, or a product of a journey. */
export type ReadTask =
	| { kind: 'journey'; updates: Uint8Array[] }
	| { kind: 'analysis'; journey: Uint8Array }
	| { kind: 'export'; format: string; journey: Uint8Array; locale: Locale; context?: ReportContext };

/** A board's journey as served: its JSON and what is needed about it without parsing that again. */
export interface JourneyRead {
	/** `JSON.stringify` of the journey in UTF-8, as `GET /journey` answers it. */
	json: Uint8Array;
	title: string;
	/** Touchpoints (cards) on the board: what the size of a rendering grows with. */
	cards: number;
}

/** What a task gives back: a journey, or the body of a response in UTF-8 or binary. */
export type ReadResult = JourneyRead | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Does one task; the same code runs in a render worker and, without workers (`vite dev`), in-process. */
export async function deriveRead(task: ReadTask): Promise<ReadResult> {
	if (task.kind === 'journey') {
		const [snapshot = null, ...log] = task.updates;
		const doc = docOf(snapshot, log);
		try {
			const journey = readJourney(doc);
			return { json: encoder.encode(JSON.stringify(journey)), title: journey.title, cards: journey.touchpoints.length };
		} finally {
			doc.destroy();
		}
	}
	// The JSON leaves unreadable fields out; analysis and exports read the journey as the app does.
	const journey = withFallbacks(JSON.parse(decoder.decode(task.journey)) as Journey);
	if (task.kind === 'analysis') return encoder.encode(JSON.stringify(analyzeJourney(journey)));
	const format = exportFormat(task.format);
	if (!format) throw new Error(`No export format "${task.format}"`);
	const body = await format.render(journey, task.locale, task.context);
	// Encoded here, so the main thread only copies bytes; a Buffer crosses as a plain Uint8Array.
	return typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}
