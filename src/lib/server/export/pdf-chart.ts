import type { JourneyReport, TouchpointReport } from '../../journey/export/report';
import { EMOTION_MAX, EMOTION_MIN } from '../../journey/schema';
import {
	COLORS,
	CONTENT_WIDTH,
	drawFlag,
	drawStar,
	drawText,
	fit,
	PAGE,
	pdfNumber,
	signColor,
	type PdfContext
} from './pdf-page';

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
	const step = width / Math.max(1, touchpoints.length);
	const xOf = (index: number) => left + step * (index + 0.5);
	const yOf = (emotion: number) =>
		plotTop + PLOT_PADDING + ((EMOTION_MAX - emotion) / (EMOTION_MAX - EMOTION_MIN)) * (PLOT_HEIGHT - 2 * PLOT_PADDING);

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
		const labelWidth = isLast ? Math.max(runWidth - 6, Math.min(STAGE_NAME_MIN_WIDTH, step * touchpoints.length / 3)) : runWidth - 6;
		const labelX = isLast ? x + runWidth - 3 - labelWidth : x + 3;
		drawText(context, run.name, labelX, top + 2, { size: 7.5, bold: true, color: COLORS.ink, width: labelWidth, align: isLast && labelWidth > runWidth - 6 ? 'right' : 'left', oneLine: true });
	});
	for (const level of [EMOTION_MAX, 0, EMOTION_MIN]) {
		const y = yOf(level);
		doc.moveTo(left, y).lineTo(left + width, y).lineWidth(level === 0 ? 0.9 : 0.5);
		if (level !== 0) doc.dash(2, { space: 2 });
		doc.strokeColor(level === 0 ? '#9aa5b4' : COLORS.line).stroke().undash();
		drawText(context, pdfNumber(context, level, true), PAGE.margin, y - 4.5, { size: 7.5, color: COLORS.muted, width: AXIS_WIDTH - 4, align: 'right' });
	}

	const felt = touchpoints.map((touchpoint, index) => ({ touchpoint, index })).filter(({ touchpoint }) => touchpoint.touchpoint.emotion !== undefined);
	if (felt.length === 0) {
		drawText(context, t('export.summary.noEmotionData'), left, plotTop + PLOT_HEIGHT / 2 - 5, { size: 9, color: COLORS.muted, width, align: 'center' });
	} else {
		felt.forEach(({ touchpoint, index }, order) => {
			const point = [xOf(index), yOf(touchpoint.touchpoint.emotion!)] as const;
			if (order === 0) doc.moveTo(...point);
			else doc.lineTo(...point);
		});
		doc.lineWidth(1.8).lineJoin('round').strokeColor(COLORS.ink).stroke();
	}
	for (const { touchpoint, index } of felt) {
		const emotion = touchpoint.touchpoint.emotion!;
		const x = xOf(index);
		const y = yOf(emotion);
		doc.circle(x, y, touchpoint.isPeak || touchpoint.isEnd ? 4.2 : 3).fill(signColor(emotion));
		const labelY = emotion >= 0 ? y - 13 : y + 5;
		drawText(context, pdfNumber(context, emotion, true), x - 12, labelY, { size: 7.5, bold: true, width: 24, align: 'center' });
		// Peak and end marks sit on the side away from their value label.
		// Near the right edge the marks go under the point (over it for a negative emotion), centred.
		const below = x + MARK_WIDTH > left + width;
		const marks = [
			...(touchpoint.isPeak ? [{ label: t('emotion.peak'), draw: (mx: number, my: number) => drawStar(context, mx, my, 5, COLORS.ink) }] : []),
			...(touchpoint.isEnd ? [{ label: t('emotion.end'), draw: (mx: number, my: number) => drawFlag(context, mx - 2, my + 4.5, 9, COLORS.ink) }] : [])
		];
		marks.forEach((mark, markIndex) => {
			if (below) {
				const labelWidth = context.doc.font(context.fonts.bold).fontSize(7.5).widthOfString(mark.label);
				const markY = emotion >= 0 ? y + 10 + markIndex * 12 : y - 22 - markIndex * 12;
				const startX = Math.min(x - (labelWidth + 12) / 2, left + width - labelWidth - 12);
				mark.draw(startX + 4, markY + 4);
				drawText(context, mark.label, startX + 11, markY, { size: 7.5, bold: true, color: COLORS.ink, width: labelWidth + 2, oneLine: true });
			} else {
				const markY = y - 5 + markIndex * 13;
				mark.draw(x + 10, markY + 4);
				drawText(context, mark.label, x + 16, markY, { size: 7.5, bold: true, color: COLORS.ink, width: MARK_WIDTH, oneLine: true });
			}
		});
	}
	const namesTop = plotTop + PLOT_HEIGHT + 4;
	if (step >= MIN_NAME_SPACING) {
		const nameWidth = NAME_AREA_HEIGHT * 1.35;
		touchpoints.forEach((touchpoint, index) => {
			const x = xOf(index);
			doc.save();
			doc.rotate(-45, { origin: [x, namesTop] });
			doc.font(context.fonts.regular).fontSize(7);
			const name = fit(context, touchpoint.touchpoint.title || '—', nameWidth);
			drawText(context, name, x - nameWidth, namesTop - 4, { size: 7, color: COLORS.text, width: nameWidth, align: 'right', oneLine: true });
			doc.restore();
		});
	}
	return namesTop + NAME_AREA_HEIGHT;
}
