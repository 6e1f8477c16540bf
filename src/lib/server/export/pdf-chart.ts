import type { JourneyReport, TouchpointReport } from '../../journey/export/report';
import { emotionCurve } from '../../journey/curve';
import { COLORS, CONTENT_WIDTH, drawFlag, drawStar, drawText, fit, PAGE, pdfNumber, signColor, type PdfContext } from './pdf-page';

/** Height of the plot, and of the rotated touchpoint names under it. */
const PLOT_HEIGHT = 146;
const NAME_AREA_HEIGHT = 58;
/** Width of the emotion scale left of the plot. */
const AXIS_WIDTH = 22;
/** Below this spacing between touchpoints their names would collide, so they are left out. */
const MIN_NAME_SPACING = 9;
/** Room a stage name may take even when its stage is narrower. */
const STAGE_NAME_MIN_WIDTH = 70;
/** Room the peak and end marks need right of their point; near the right edge they go left. */
const MARK_WIDTH = 44;
/** Space above +5 and below −5, where the value labels of the extreme points go. */
const PLOT_PADDING = 16;
/** Height of the stage name row above the plot. */
const STAGE_ROW_HEIGHT = 14;

/** The chart's full height, for page planning. */
export const EMOTION_CHART_HEIGHT = STAGE_ROW_HEIGHT + PLOT_HEIGHT + NAME_AREA_HEIGHT;

/** Runs of consecutive touchpoints in one stage (journey order groups them). */
function stageRuns(touchpoints: TouchpointReport[]): { name: string; first: number; last: number }[] {
	const runs: { name: string; first: number; last: number; stageId: string | null }[] = [];
	touchpoints.forEach((touchpoint, index) => {
		const stageId = touchpoint.stage?.id ?? null;
		const run = runs.at(-1);
		if (run && run.stageId === stageId) run.last = index;
		else runs.push({ name: touchpoint.stage?.name ?? '', first: index, last: index, stageId });
	});
	return runs;
}

/**
 * The emotion curve as vector lines: touchpoints evenly spaced in journey order over their stages,
 * emotion −5…+5 upwards, the peak starred and the end flagged, names under the plot.
 * Returns the y below the chart.
 */
export function drawEmotionChart(context: PdfContext, report: JourneyReport, top: number): number {
	const { doc, t } = context;
	const touchpoints = report.touchpoints;
	const left = PAGE.margin + AXIS_WIDTH;
	const width = CONTENT_WIDTH - AXIS_WIDTH;
	const plotTop = top + STAGE_ROW_HEIGHT;
	const curve = emotionCurve(
		touchpoints.map((entry) => entry.touchpoint),
		report.analysis.peakEnd,
		{
			box: { left, width, top: plotTop, height: PLOT_HEIGHT, padding: PLOT_PADDING },
			x: { by: 'slots' },
			valueLabel: { above: 13, below: 5 },
			// Peak and end marks sit on the side away from their value label; near the right edge
			// they go under the point (over it for a negative emotion), centred.
			markers: { beside: { dx: 10, dy: -5, step: 13 }, away: { below: 10, above: -22, step: 12 }, awayIf: { roomRight: MARK_WIDTH } }
		}
	);
	const step = curve.step;

	const runs = stageRuns(touchpoints);
	runs.forEach((run, index) => {
		const x = left + step * run.first;
		const runWidth = step * (run.last - run.first + 1);
		doc.rect(x, top, runWidth, STAGE_ROW_HEIGHT + PLOT_HEIGHT).fill(index % 2 === 0 ? COLORS.band : '#ffffff');
	});
	runs.forEach((run, index) => {
		const x = left + step * run.first;
		const runWidth = step * (run.last - run.first + 1);
		// A narrow last stage may borrow room to its left, where the stage before it has its name's tail.
		const isLast = index === runs.length - 1;
		const labelWidth = isLast ? Math.max(runWidth - 6, Math.min(STAGE_NAME_MIN_WIDTH, (step * touchpoints.length) / 3)) : runWidth - 6;
		const labelX = isLast ? x + runWidth - 3 - labelWidth : x + 3;
		drawText(context, run.name, labelX, top + 2, {
			size: 7.5,
			bold: true,
			color: COLORS.ink,
			width: labelWidth,
			align: isLast && labelWidth > runWidth - 6 ? 'right' : 'left',
			oneLine: true
		});
	});
	for (const { value: level, y } of curve.ticks) {
		doc
			.moveTo(left, y)
			.lineTo(left + width, y)
			.lineWidth(level === 0 ? 0.9 : 0.5);
		if (level !== 0) doc.dash(2, { space: 2 });
		doc
			.strokeColor(level === 0 ? '#9aa5b4' : COLORS.line)
			.stroke()
			.undash();
		drawText(context, pdfNumber(context, level, true), PAGE.margin, y - 4.5, {
			size: 7.5,
			color: COLORS.muted,
			width: AXIS_WIDTH - 4,
			align: 'right'
		});
	}

	if (curve.points.length === 0) {
		drawText(context, t('export.summary.noEmotionData'), left, plotTop + PLOT_HEIGHT / 2 - 5, {
			size: 9,
			color: COLORS.muted,
			width,
			align: 'center'
		});
	} else {
		for (const segment of curve.segments) {
			segment.forEach((point, order) => {
				if (order === 0) doc.moveTo(point.x, point.y);
				else doc.lineTo(point.x, point.y);
			});
		}
		doc.lineWidth(1.8).lineJoin('round').strokeColor(COLORS.ink).stroke();
	}
	for (const point of curve.points) {
		const { x, y } = point;
		const emotion = point.touchpoint.emotion;
		doc.circle(x, y, point.marked ? 4.2 : 3).fill(signColor(emotion));
		drawText(context, pdfNumber(context, emotion, true), x - 12, point.valueY, { size: 7.5, bold: true, width: 24, align: 'center' });
		for (const marker of curve.markers.filter((candidate) => candidate.point === point)) {
			const label = marker.kind === 'peak' ? t('emotion.peak') : t('emotion.end');
			const draw = (mx: number, my: number) =>
				marker.kind === 'peak' ? drawStar(context, mx, my, 5, COLORS.ink) : drawFlag(context, mx - 2, my + 4.5, 9, COLORS.ink);
			if (marker.place === 'away') {
				const labelWidth = context.doc.font(context.fonts.bold).fontSize(7.5).widthOfString(label);
				const startX = Math.min(x - (labelWidth + 12) / 2, left + width - labelWidth - 12);
				draw(startX + 4, marker.y + 4);
				drawText(context, label, startX + 11, marker.y, { size: 7.5, bold: true, color: COLORS.ink, width: labelWidth + 2, oneLine: true });
			} else {
				draw(marker.x, marker.y + 4);
				drawText(context, label, marker.x + 6, marker.y, { size: 7.5, bold: true, color: COLORS.ink, width: MARK_WIDTH, oneLine: true });
			}
		}
	}
	const namesTop = plotTop + PLOT_HEIGHT + 4;
	if (step >= MIN_NAME_SPACING) {
		const nameWidth = NAME_AREA_HEIGHT * 1.35;
		touchpoints.forEach((touchpoint, index) => {
			const x = curve.xs[index]!;
			doc.save();
			doc.rotate(-45, { origin: [x, namesTop] });
			doc.font(context.fonts.regular).fontSize(7);
			const name = fit(context, touchpoint.touchpoint.title || '—', nameWidth);
			drawText(context, name, x - nameWidth, namesTop - 4, {
				size: 7,
				color: COLORS.text,
				width: nameWidth,
				align: 'right',
				oneLine: true
			});
			doc.restore();
		});
	}
	return namesTop + NAME_AREA_HEIGHT;
}
