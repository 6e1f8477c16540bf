import type { EmotionPoint } from './analysis';
import { CARD_WIDTH, EMOTION_BAND_HEIGHT } from './layout';
import { EMOTION_MAX, EMOTION_MIN, type Touchpoint } from './schema';

/**
 * The emotion curve's geometry, computed once for every drawing of it (canvas band, executive
 * summary, SVG/PNG export, PDF): the emotion scale, each point's place in journey order, the path,
 * the peak ★ and end ■ markers and the scale's ticks. Each drawing keeps its own look.
 */

/** The rectangle the curve is drawn in: emotion +5 … −5 from `top + padding` to `top + height − padding`. */
export interface CurveBox {
	left: number;
	width: number;
	top: number;
	height: number;
	/** Space above +5 and below −5. */
	padding: number;
}

/** Where the points go across the box. */
export type CurveX =
	/** At the centre of each touchpoint's card, its left edge given by `cardLeft` (default: the touchpoint's x). */
	| { by: 'card'; cardLeft?: (touchpoint: Touchpoint, index: number) => number }
	/** The touchpoints with an emotion evenly from `side` inside the left edge to `side` inside the right; a single one centred. */
	| { by: 'spread'; side: number }
	/** Every touchpoint, with an emotion or not, in an equal slot of the box's width; points at the slots' centres. */
	| { by: 'slots' };

/** Where the peak and end markers go, relative to their point. */
export interface MarkerPlacement {
	/** Right of the point: the first marker's offset, and the step down to the next one of the same point. */
	beside: { dx: number; dy: number; step: number };
	/** Over or under the point, away from its value label: under a point ≥ 0, over a negative one. */
	away?: { below: number; above: number; step: number };
	/** Markers that go away rather than beside: the end marker, and those with less room than `roomRight` before the box's right edge. */
	awayIf?: { end?: boolean; roomRight?: number };
}

export interface CurveOptions {
	box: CurveBox;
	x: CurveX;
	/** The baseline of each point's value label: this much over a point ≥ 0, and under a negative one. */
	valueLabel: { above: number; below: number };
	markers: MarkerPlacement;
	/** The path in pieces of this many points, each starting at the last point of the one before; default: one piece. */
	pieceSize?: number;
}

/** The peak and the end, as the journey analysis (`peakEnd` in analysis.ts) found them. */
export interface CurvePeakEnd {
	peak: Pick<EmotionPoint, 'touchpointId'> | null;
	end: Pick<EmotionPoint, 'touchpointId'> | null;
}

export interface CurvePoint {
	touchpoint: Touchpoint & { emotion: number };
	/** The touchpoint's place among all the touchpoints given. */
	index: number;
	x: number;
	y: number;
	/** The baseline of the emotion's value label. */
	valueY: number;
	sign: 'positive' | 'negative' | 'neutral';
	/** The peak or the end. */
	marked: boolean;
}

export interface CurveMarker {
	kind: 'peak' | 'end';
	point: CurvePoint;
	place: 'beside' | 'away';
	/** The marker's anchor: its label's start when beside, its centre when away; the baseline of its first line. */
	x: number;
	y: number;
}

export interface CurveTick {
	value: number;
	y: number;
	zero: boolean;
}

export interface Curve {
	/** Touchpoints with an emotion, in the order given (journey order). */
	points: CurvePoint[];
	/** The x of every touchpoint given, in order; null where it has no point of its own (spread without emotion). */
	xs: (number | null)[];
	/** Distance between neighbouring slots or spread points; 0 for points at their cards. */
	step: number;
	/** The path's pieces; none without points. */
	segments: CurvePoint[][];
	peak: CurveMarker | null;
	end: CurveMarker | null;
	/** The peak's marker before the end's. */
	markers: CurveMarker[];
	/** +5, 0 and −5 with their y; the 0 one is the zero line. */
	ticks: CurveTick[];
	/** The zero line's y. */
	zeroY: number;
}

/** The y of an emotion in a box: 0 in the middle, ±5 `padding` inside the top and the bottom edge. */
export function emotionY(box: Pick<CurveBox, 'top' | 'height' | 'padding'>, emotion: number): number {
	return box.top + box.height / 2 - emotion * ((box.height / 2 - box.padding) / EMOTION_MAX);
}

function xPositions(touchpoints: readonly Touchpoint[], box: CurveBox, mode: CurveX): { xs: (number | null)[]; step: number } {
	switch (mode.by) {
		case 'card': {
			const cardLeft = mode.cardLeft ?? ((touchpoint: Touchpoint) => touchpoint.x);
			return { xs: touchpoints.map((touchpoint, index) => cardLeft(touchpoint, index) + CARD_WIDTH / 2), step: 0 };
		}
		case 'spread': {
			const felt = touchpoints.filter((touchpoint) => touchpoint.emotion !== undefined).length;
			const step = (box.width - 2 * mode.side) / Math.max(1, felt - 1);
			let order = 0;
			const xs = touchpoints.map((touchpoint) => {
				if (touchpoint.emotion === undefined) return null;
				const x = felt === 1 ? box.left + box.width / 2 : box.left + mode.side + order * step;
				order += 1;
				return x;
			});
			return { xs, step };
		}
		case 'slots': {
			const step = box.width / Math.max(1, touchpoints.length);
			return { xs: touchpoints.map((_, index) => box.left + step * (index + 0.5)), step };
		}
	}
}

/** Splits points into pieces of `size`, each starting at the last point of the one before, so together they are one line. */
function pieces(points: CurvePoint[], size: number): CurvePoint[][] {
	const result: CurvePoint[][] = [];
	for (let start = 0; start === 0 ? points.length > 0 : start < points.length - 1; start += size) {
		result.push(points.slice(start, start + size + 1));
	}
	return result;
}

const samePoint = (a: CurvePoint, b: CurvePoint) =>
	a.touchpoint === b.touchpoint && a.index === b.index && a.x === b.x && a.y === b.y && a.valueY === b.valueY && a.marked === b.marked;

/**
 * The curve through the touchpoints' emotions, in the order given (journey order), with the peak and
 * the end as the analysis found them. `reuse` keeps one point object per touchpoint object while its
 * point is unchanged, so a drawing keyed on points redraws only what moved.
 */
export function emotionCurve(
	touchpoints: readonly Touchpoint[],
	peakEnd: CurvePeakEnd,
	options: CurveOptions,
	reuse?: WeakMap<Touchpoint, CurvePoint>
): Curve {
	const { box, valueLabel } = options;
	const peakId = peakEnd.peak?.touchpointId ?? null;
	const endId = peakEnd.end?.touchpointId ?? null;
	const { xs, step } = xPositions(touchpoints, box, options.x);
	const points: CurvePoint[] = [];
	touchpoints.forEach((touchpoint, index) => {
		const emotion = touchpoint.emotion;
		if (emotion === undefined) return;
		const y = emotionY(box, emotion);
		const fresh: CurvePoint = {
			touchpoint: touchpoint as CurvePoint['touchpoint'],
			index,
			x: xs[index]!,
			y,
			valueY: y + (emotion >= 0 ? -valueLabel.above : valueLabel.below),
			sign: emotion > 0 ? 'positive' : emotion < 0 ? 'negative' : 'neutral',
			marked: touchpoint.id === peakId || touchpoint.id === endId
		};
		const known = reuse?.get(touchpoint);
		if (known && samePoint(known, fresh)) points.push(known);
		else {
			reuse?.set(touchpoint, fresh);
			points.push(fresh);
		}
	});

	const { beside, away, awayIf } = options.markers;
	const right = box.left + box.width;
	const markers: CurveMarker[] = [];
	for (const kind of ['peak', 'end'] as const) {
		const id = kind === 'peak' ? peakId : endId;
		const point = id === null ? undefined : points.find((candidate) => candidate.touchpoint.id === id);
		if (!point) continue;
		const goesAway =
			!!away && ((kind === 'end' && !!awayIf?.end) || (awayIf?.roomRight !== undefined && point.x + awayIf.roomRight > right));
		const place = goesAway ? 'away' : 'beside';
		// A second marker of the same point and place goes on the next line.
		const stack = markers.filter((marker) => marker.point === point && marker.place === place).length;
		if (goesAway) {
			const below = point.touchpoint.emotion >= 0;
			markers.push({
				kind,
				point,
				place,
				x: point.x,
				y: point.y + (below ? away.below + stack * away.step : away.above - stack * away.step)
			});
		} else {
			markers.push({ kind, point, place, x: point.x + beside.dx, y: point.y + beside.dy + stack * beside.step });
		}
	}

	return {
		points,
		xs,
		step,
		segments: pieces(points, options.pieceSize ?? Infinity),
		peak: markers.find((marker) => marker.kind === 'peak') ?? null,
		end: markers.find((marker) => marker.kind === 'end') ?? null,
		markers,
		ticks: [EMOTION_MAX, 0, EMOTION_MIN].map((value) => ({ value, y: emotionY(box, value), zero: value === 0 })),
		zeroY: emotionY(box, 0)
	};
}

/** SVG path data through points (`M x,y L x,y …`), numbers written by `format`. */
export function svgPath(points: readonly Pick<CurvePoint, 'x' | 'y'>[], format: (value: number) => string = String): string {
	return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${format(point.x)},${format(point.y)}`).join(' ');
}

/** Space above +5 and below −5 in the emotion band under the canvas grid. */
export const EMOTION_BAND_PADDING = 28;

/** The emotion band under the grid, as the canvas and the SVG/PNG export draw it: points at their cards. */
export function emotionBandCurve(
	touchpoints: readonly Touchpoint[],
	peakEnd: CurvePeakEnd,
	band: { top: number; width: number },
	options: { cardLeft?: (touchpoint: Touchpoint, index: number) => number; pieceSize?: number } = {},
	reuse?: WeakMap<Touchpoint, CurvePoint>
): Curve {
	return emotionCurve(
		touchpoints,
		peakEnd,
		{
			box: { left: 0, width: band.width, top: band.top, height: EMOTION_BAND_HEIGHT, padding: EMOTION_BAND_PADDING },
			x: { by: 'card', cardLeft: options.cardLeft },
			valueLabel: { above: 12, below: 20 },
			markers: { beside: { dx: 12, dy: 4, step: 16 } },
			pieceSize: options.pieceSize
		},
		reuse
	);
}
