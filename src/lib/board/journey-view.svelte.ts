import { untrack } from 'svelte';
import type * as Y from 'yjs';
import { analyzeJourney, type Analysis } from '$lib/journey/analysis';
import { JourneyReader } from '$lib/journey/journey-reader';
import { journeyForSegment } from '$lib/journey/segments';
import { emptyJourney, type Journey } from '$lib/journey/schema';

/**
 * The analysis is recomputed at most this often: it walks the whole journey, and while others
 * move cards it would otherwise run for every one of their updates.
 */
const ANALYSIS_INTERVAL_MS = 250;
/** A due analysis waits at most this long for the browser to be idle between frames. */
const ANALYSIS_IDLE_WAIT_MS = 500;
/** Remote updates wait at most this long for an animation frame (none come while the tab is hidden). */
const REMOTE_REFRESH_MAX_WAIT_MS = 100;

/**
 * A reactive view of the board's journey. Local edits show at once; remote updates at most once
 * per animation frame, however many arrive in it (the first at once, the rest with the next
 * frame). The analysis follows, throttled.
 */
export class JourneyView {
	journey = $state.raw<Journey>(emptyJourney(''));
	analysis = $state.raw<Analysis>(analyzeJourney(emptyJourney('')));
	/** The segment the board is shown for, or null for all customers (not shared: each person picks). */
	segmentId = $state<string | null>(null);
	/** The journey as the chosen segment sees it (effective values), or the journey itself. */
	readonly shown = $derived.by(() => {
		const segmentId = this.segmentId;
		return segmentId && this.journey.segments.some((segment) => segment.id === segmentId)
			? journeyForSegment(this.journey, segmentId)
			: this.journey;
	});
	/** The analysis of the journey as the chosen segment sees it, its segment lists empty; for all customers, `analysis`. */
	readonly shownAnalysis = $derived.by(() => {
		const analysis = this.analysis;
		const segmentId = this.segmentId;
		// Follows the throttled analysis (and the choice), not every edit.
		return untrack(() => {
			const analysed = this.#analysed;
			if (!segmentId || !analysed?.segments.some((segment) => segment.id === segmentId)) return analysis;
			return analyzeJourney({ ...journeyForSegment(analysed, segmentId), segments: [] });
		});
	});
	readonly #doc: Y.Doc;
	readonly #reader: JourneyReader;
	/** Whether remote updates are held back until the next frame. */
	#holding = false;
	#frame = 0;
	#frameFallback: ReturnType<typeof setTimeout> | undefined;
	#analysisTimer: ReturnType<typeof setTimeout> | undefined;
	#analysisIdle = 0;
	#analysedAt = -Infinity;
	#analysed: Journey | null = null;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#reader = new JourneyReader(doc);
		this.journey = this.#reader.read();
		this.#analyse();
		doc.on('afterTransaction', this.#onTransaction);
	}

	/** Shows every update received so far now, e.g. once the server's state has arrived. */
	flush(): void {
		this.#release();
		if (this.#reader.stale) this.#read();
	}

	#onTransaction = (transaction: Y.Transaction) => {
		if (!this.#reader.stale || (!transaction.local && this.#holding)) return;
		this.#read();
		if (!transaction.local) this.#hold();
	};

	#read(): void {
		this.journey = this.#reader.read();
		this.#scheduleAnalysis();
	}

	#hold(): void {
		this.#holding = true;
		const next = () => {
			this.#release();
			if (!this.#reader.stale) return;
			this.#read();
			this.#hold();
		};
		this.#frame = requestAnimationFrame(next);
		this.#frameFallback = setTimeout(next, REMOTE_REFRESH_MAX_WAIT_MS);
	}

	#release(): void {
		cancelAnimationFrame(this.#frame);
		clearTimeout(this.#frameFallback);
		this.#holding = false;
	}

	#scheduleAnalysis(): void {
		if (this.#analysisTimer !== undefined) return;
		const wait = Math.max(0, this.#analysedAt + ANALYSIS_INTERVAL_MS - performance.now());
		// Never in the task that shows the edit, and preferably while the browser is idle between
		// frames, so a drag or others' moves do not stutter when it runs.
		const run = () => {
			this.#analysisTimer = undefined;
			this.#analysisIdle = 0;
			this.#analyse();
		};
		this.#analysisTimer = setTimeout(() => {
			if (typeof requestIdleCallback === 'function') this.#analysisIdle = requestIdleCallback(run, { timeout: ANALYSIS_IDLE_WAIT_MS });
			else run();
		}, wait);
	}

	#analyse(): void {
		if (this.#analysed === this.journey) return;
		this.#analysed = this.journey;
		this.#analysedAt = performance.now();
		this.analysis = analyzeJourney(this.journey);
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#onTransaction);
		this.#release();
		clearTimeout(this.#analysisTimer);
		if (this.#analysisIdle) cancelIdleCallback(this.#analysisIdle);
		this.#reader.destroy();
	}
}
