/**
 * What the per-segment analysis says, as a manager reads it: each segment's figures, the largest
 * divergences and every paradox as sentences, and the segments' emotion curves drawn over each
 * other. Shared by the analysis panel, the executive summary and the exports.
 */
import type { Translate } from '../i18n';
import { formatFigure } from './figures';
import type { Analysis, Divergence, Paradox, SegmentAnalysis } from './analysis';
import { emotionY } from './curve';
import { journeyOrder } from './order';
import { placement } from './placement';
import { effectiveValue, SEGMENT_PALETTE, segmentsInOrder } from './segments';
import { EMOTION_MAX, EMOTION_MIN, type Journey, type Segment } from './schema';

/** Divergences shown as sentences: the largest few; the API lists them all. */
export const DIVERGENCE_SENTENCES = 5;
/** Key experiences shown per segment. */
export const WORST_PER_SEGMENT = 3;

/** A sentence with the touchpoint's title apart, so each medium can set it off (italics, emphasis). */
export interface Sentence {
	before: string;
	touchpoint: string;
	after: string;
}

// A character no catalog message holds: where the touchpoint's title goes.
const TITLE_MARK = '\u0001';

function sentence(text: string, title: string): Sentence {
	const at = text.indexOf(TITLE_MARK);
	return at < 0 ? { before: text, touchpoint: '', after: '' } : { before: text.slice(0, at), touchpoint: title, after: text.slice(at + 1) };
}

/** The sentence as plain text, the title as given by `emphasis` (e.g. `*title*` in Markdown). */
export function sentenceText(parts: Sentence, emphasis: (title: string) => string = (title) => title): string {
	return parts.touchpoint ? `${parts.before}${emphasis(parts.touchpoint)}${parts.after}` : parts.before;
}

/** The segment's colour: its own, else one of the palette by its place in segment order. */
export function segmentColor(segment: Pick<Segment, 'color'>, index: number): string {
	return segment.color ?? SEGMENT_PALETTE[index % SEGMENT_PALETTE.length];
}

function namesOf(journey: Journey): Map<string, string> {
	return new Map(segmentsInOrder(journey).map((segment) => [segment.id, segment.name]));
}

/** "Gold-card customers are better served at *Queueing* than regular customers (7 vs 4) but less satisfied (−2 vs 0) …" */
export function paradoxSentence(t: Translate, journey: Journey, paradox: Paradox): Sentence {
	const names = namesOf(journey);
	return sentence(
		t('segment.paradox', {
			segment: names.get(paradox.segmentId) ?? paradox.segmentId,
			other: names.get(paradox.comparedWith) ?? paradox.comparedWith,
			touchpoint: TITLE_MARK,
			experience: formatFigure(paradox.experience[0]),
			otherExperience: formatFigure(paradox.experience[1]),
			satisfaction: formatFigure(paradox.satisfaction[0]),
			otherSatisfaction: formatFigure(paradox.satisfaction[1])
		}),
		paradox.title
	);
}

/** "At *Queueing*, gold-card customers feel −5 and VIP customers 0." */
export function divergenceSentence(t: Translate, journey: Journey, divergence: Divergence): Sentence {
	const names = namesOf(journey);
	const params = {
		touchpoint: TITLE_MARK,
		low: names.get(divergence.low.segmentId) ?? divergence.low.segmentId,
		high: names.get(divergence.high.segmentId) ?? divergence.high.segmentId,
		lowValue: formatFigure(divergence.low.value),
		highValue: formatFigure(divergence.high.value)
	};
	const text = divergence.field === 'emotion' ? t('segment.divergenceEmotion', params) : t('segment.divergenceSatisfaction', params);
	return sentence(text, divergence.title);
}

/** One segment's figures as the reports show them. */
export interface SegmentFigures {
	segment: SegmentAnalysis;
	color: string;
	/** The worst negative weighted gaps, worst first. */
	worst: SegmentAnalysis['gaps'];
}

/** Each segment's figures, in segment order. */
export function segmentFigures(journey: Journey, analysis: Analysis, worst = WORST_PER_SEGMENT): SegmentFigures[] {
	const segments = segmentsInOrder(journey);
	return analysis.segments.map((segment) => {
		const index = segments.findIndex((candidate) => candidate.id === segment.segmentId);
		return {
			segment,
			color: segmentColor(segments[index] ?? {}, Math.max(0, index)),
			worst: segment.gaps.filter((gap) => gap.weighted !== null && gap.weighted < 0).slice(0, worst)
		};
	});
}

/** A point of one segment's curve. */
export interface OverlayPoint {
	touchpointId: string;
	x: number;
	y: number;
	emotion: number;
}

/** One segment's emotion curve in the overlay, with its peak and end. */
export interface OverlayCurve {
	segmentId: string;
	name: string;
	color: string;
	points: OverlayPoint[];
	peak: OverlayPoint | null;
	end: OverlayPoint | null;
}

/** Every segment's emotion curve over the same touchpoints (placed, journey order), evenly spaced in a box. */
export interface Overlay {
	/** Each placed touchpoint's column. */
	columns: { touchpointId: string; title: string; x: number }[];
	curves: OverlayCurve[];
	/** y of +5, 0 and −5. */
	ticks: { value: number; y: number }[];
}

export function segmentOverlay(
	journey: Journey,
	analysis: Analysis,
	box: { left: number; top: number; width: number; height: number }
): Overlay {
	const touchpoints = journeyOrder(journey.stages, placement(journey).placed);
	const step = box.width / Math.max(1, touchpoints.length);
	const columns = touchpoints.map((touchpoint, index) => ({
		touchpointId: touchpoint.id,
		title: touchpoint.title,
		x: box.left + step * (index + 0.5)
	}));
	const curveBox = { top: box.top, height: box.height, padding: 8 };
	const figures = segmentFigures(journey, analysis);
	const curves = figures.map(({ segment, color }) => {
		const points: OverlayPoint[] = [];
		touchpoints.forEach((touchpoint, index) => {
			const emotion = effectiveValue(touchpoint, 'emotion', segment.segmentId);
			if (emotion !== undefined) points.push({ touchpointId: touchpoint.id, x: columns[index].x, y: emotionY(curveBox, emotion), emotion });
		});
		const find = (id: string | undefined) => points.find((point) => point.touchpointId === id) ?? null;
		return {
			segmentId: segment.segmentId,
			name: segment.name,
			color,
			points,
			peak: find(segment.peakEnd.peak?.touchpointId),
			end: find(segment.peakEnd.end?.touchpointId)
		};
	});
	return { columns, curves, ticks: [EMOTION_MAX, 0, EMOTION_MIN].map((value) => ({ value, y: emotionY(curveBox, value) })) };
}
