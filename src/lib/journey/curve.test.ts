import { describe, expect, it } from 'vitest';
import { peakEnd } from './analysis';
import { emotionBandCurve, emotionCurve, emotionY, svgPath, type CurveOptions, type CurvePoint } from './curve';
import { CARD_WIDTH } from './layout';
import { emptyJourney, type Journey, type Touchpoint } from './schema';
import { newTouchpoint } from './touchpoint';

function journeyOf(emotions: (number | undefined)[]): Journey {
	return {
		...emptyJourney('Curve'),
		stages: [{ id: 's1', name: 'Stage', order: 1 }],
		lanes: [{ id: 'l1', name: 'Lane', order: 1, type: 'touchpoints' }],
		touchpoints: emotions.map((emotion, index) =>
			newTouchpoint({ id: `t${index + 1}`, stageId: 's1', laneId: 'l1', emotion, x: index * 200 })
		)
	};
}

const box = { left: 0, width: 1000, top: 40, height: 200, padding: 0 };
const spread: CurveOptions = {
	box,
	x: { by: 'spread', side: 50 },
	valueLabel: { above: 12, below: 20 },
	markers: { beside: { dx: 12, dy: 4, step: 16 } }
};

function curveOf(emotions: (number | undefined)[], options: CurveOptions = spread) {
	const journey = journeyOf(emotions);
	return emotionCurve(journey.touchpoints, peakEnd(journey), options);
}

describe('emotionY', () => {
	it('puts 0 in the middle and ±5 padding inside the edges', () => {
		const band = { top: 100, height: 240, padding: 28 };
		expect(emotionY(band, 0)).toBe(220);
		expect(emotionY(band, 5)).toBe(128);
		expect(emotionY(band, -5)).toBe(312);
		expect(emotionY(band, 1)).toBeCloseTo(201.6);
	});
});

describe('emotionCurve', () => {
	it('has a point for each touchpoint with an emotion, in the order given', () => {
		const curve = curveOf([2, undefined, -3, 0]);
		expect(curve.points.map((point) => point.touchpoint.id)).toEqual(['t1', 't3', 't4']);
		expect(curve.points.map((point) => point.index)).toEqual([0, 2, 3]);
		expect(curve.points.map((point) => point.sign)).toEqual(['positive', 'negative', 'neutral']);
		expect(curve.points.map((point) => point.y)).toEqual([emotionY(box, 2), emotionY(box, -3), emotionY(box, 0)]);
	});

	it('puts the value label over a point ≥ 0 and under a negative one', () => {
		const [positive, negative, zero] = curveOf([2, -3, 0]).points;
		expect(positive.valueY).toBe(positive.y - 12);
		expect(negative.valueY).toBe(negative.y + 20);
		expect(zero.valueY).toBe(zero.y - 12);
	});

	it('spreads the points evenly between the sides, and centres a single one', () => {
		expect(curveOf([1, 2, 3]).points.map((point) => point.x)).toEqual([50, 500, 950]);
		expect(curveOf([1, undefined, 3]).xs).toEqual([50, null, 950]);
		expect(curveOf([undefined, 4]).points.map((point) => point.x)).toEqual([500]);
	});

	it('gives every touchpoint a slot, with or without emotion', () => {
		const curve = curveOf([1, undefined, 3, undefined], { ...spread, x: { by: 'slots' } });
		expect(curve.step).toBe(250);
		expect(curve.xs).toEqual([125, 375, 625, 875]);
		expect(curve.points.map((point) => point.x)).toEqual([125, 625]);
	});

	it('puts points at the centre of their cards, wherever the cards are drawn', () => {
		const journey = journeyOf([1, 2]);
		const atCards = emotionBandCurve(journey.touchpoints, peakEnd(journey), { top: 0, width: 1000 });
		expect(atCards.points.map((point) => point.x)).toEqual([CARD_WIDTH / 2, 200 + CARD_WIDTH / 2]);
		const moved = emotionBandCurve(journey.touchpoints, peakEnd(journey), { top: 0, width: 1000 }, { cardLeft: (_, index) => index * 500 });
		expect(moved.points.map((point) => point.x)).toEqual([CARD_WIDTH / 2, 500 + CARD_WIDTH / 2]);
	});

	it('marks the peak and the end that the analysis found', () => {
		const journey = journeyOf([2, -4, 4, 1]);
		const curve = emotionCurve(journey.touchpoints, peakEnd(journey), spread);
		// Peak: the earlier of the equally intense −4 and +4.
		expect(curve.peak?.point.touchpoint.id).toBe('t2');
		expect(curve.end?.point.touchpoint.id).toBe('t4');
		expect(curve.markers.map((marker) => marker.kind)).toEqual(['peak', 'end']);
		expect(curve.points.map((point) => point.marked)).toEqual([false, true, false, true]);
		expect(curve.peak).toMatchObject({ place: 'beside', x: curve.peak!.point.x + 12, y: curve.peak!.point.y + 4 });
	});

	it('stacks the end marker under the peak marker when one touchpoint is both', () => {
		const curve = curveOf([1, 5]);
		expect(curve.peak?.point).toBe(curve.end?.point);
		const point = curve.peak!.point;
		expect([curve.peak!.y, curve.end!.y]).toEqual([point.y + 4, point.y + 20]);
	});

	it('puts markers away from the value label where asked: the end, or near the right edge', () => {
		const away = { below: 28, above: -28, step: 12 };
		const endAway = curveOf([5, -2], { ...spread, markers: { ...spread.markers, away, awayIf: { end: true } } });
		expect(endAway.peak?.place).toBe('beside');
		expect(endAway.end).toMatchObject({ place: 'away', x: endAway.end!.point.x, y: endAway.end!.point.y - 28 });

		const nearEdge = curveOf([1, 5], {
			...spread,
			markers: { ...spread.markers, away: { below: 10, above: -22, step: 12 }, awayIf: { roomRight: 60 } }
		});
		const point = nearEdge.peak!.point;
		expect(nearEdge.markers.map((marker) => [marker.place, marker.y])).toEqual([
			['away', point.y + 10],
			['away', point.y + 22]
		]);
	});

	it('has ticks at +5, 0 and −5, the 0 one being the zero line', () => {
		const curve = curveOf([]);
		expect(curve.ticks).toEqual([
			{ value: 5, y: 40, zero: false },
			{ value: 0, y: 140, zero: true },
			{ value: -5, y: 240, zero: false }
		]);
		expect(curve.zeroY).toBe(140);
		expect(curve.points).toEqual([]);
		expect(curve.segments).toEqual([]);
		expect(curve.peak).toBeNull();
	});

	it('draws the path in one piece, or in pieces that join', () => {
		const emotions = Array.from({ length: 7 }, (_, index) => (index % 11) - 5);
		expect(curveOf(emotions).segments).toHaveLength(1);
		const pieces = curveOf(emotions, { ...spread, pieceSize: 3 }).segments;
		expect(pieces.map((piece) => piece.map((point) => point.index))).toEqual([
			[0, 1, 2, 3],
			[3, 4, 5, 6]
		]);
		expect(curveOf([1], { ...spread, pieceSize: 3 }).segments).toHaveLength(1);
	});

	it('keeps a point object while its touchpoint and place are unchanged', () => {
		const journey = journeyOf([1, 2, 3]);
		const reuse = new WeakMap<Touchpoint, CurvePoint>();
		const band = { top: 0, width: 1000 };
		const first = emotionBandCurve(journey.touchpoints, peakEnd(journey), band, {}, reuse);
		const moved = { ...journey, touchpoints: [journey.touchpoints[0], { ...journey.touchpoints[1], x: 900 }, journey.touchpoints[2]] };
		const second = emotionBandCurve(moved.touchpoints, peakEnd(moved), band, {}, reuse);
		expect(second.points[0]).toBe(first.points[0]);
		expect(second.points[1]).not.toBe(first.points[1]);
		expect(second.points[2]).toBe(first.points[2]);
	});
});

describe('svgPath', () => {
	it('moves to the first point and draws lines to the rest', () => {
		const points = [
			{ x: 1, y: 2.25 },
			{ x: 3, y: 4 }
		];
		expect(svgPath(points)).toBe('M1,2.25 L3,4');
		expect(svgPath(points, (value) => value.toFixed(1))).toBe('M1.0,2.3 L3.0,4.0');
		expect(svgPath([])).toBe('');
	});
});
