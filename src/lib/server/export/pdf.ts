import PDFDocument from 'pdfkit';
import { translator, type Locale, type Translator } from '../../i18n';
import {
	departmentBurdens,
	emotionExtremes,
	formatPercent,
	journeyReport,
	type JourneyReport,
	type ReportContext
} from '../../journey/export/report';
import type { Journey } from '../../journey/schema';
import { drawEmotionChart, EMOTION_CHART_HEIGHT } from './pdf-chart';
import { choosePdfFonts, needsUnicodeFont } from './pdf-fonts';
import { drawMissingCharactersNote } from './pdf-missing';
import { drawSegments } from './pdf-segments';
import { drawLastVote, drawRatingRounds, provenanceLines } from './pdf-report';
import { drawActions } from './pdf-actions';
import {
	COLORS,
	CONTENT_WIDTH,
	drawCheckMark,
	drawHeading,
	drawKindMark,
	drawText,
	ensureSpace,
	PAGE,
	pdfNumber,
	signColor,
	type PdfContext
} from './pdf-page';

/** Most key experiences, departments and unsupported peaks listed; the rest are counted. */
export const MAX_KEY_EXPERIENCES = 8;
export const MAX_DEPARTMENTS = 6;
export const MAX_UNSUPPORTED_PEAKS = 10;
const ROW_HEIGHT = 17;

function drawHeader(context: PdfContext, report: JourneyReport, reportContext: ReportContext | undefined, y: number): number {
	const { t } = context;
	const { evidence } = report.analysis;
	y += drawText(context, t('export.summary.heading').toLocaleUpperCase(t.locale), PAGE.margin, y, {
		size: 8.5,
		bold: true,
		color: COLORS.muted
	});
	y += 2;
	y += drawText(context, report.journey.title || '—', PAGE.margin, y, { size: 20, bold: true, color: COLORS.ink });
	y += 3;
	const facts = `${t('export.stagesAndTouchpoints', { touchpoints: report.touchpoints.length, stages: report.stages.length })}  ·  ${t('export.summary.coverage', { covered: evidence.covered, total: evidence.total, percent: formatPercent(evidence.ratio) })}`;
	y += drawText(context, facts, PAGE.margin, y, { size: 9.5, color: COLORS.muted });
	for (const line of provenanceLines(context, report, reportContext))
		y += drawText(context, line, PAGE.margin, y + 1, { size: 9.5, color: COLORS.muted }) + 1;
	return y + 12;
}

/** Four figures side by side: remembered score, average, peak, end. */
function drawScores(context: PdfContext, report: JourneyReport, y: number): number {
	const { doc, t } = context;
	const { peakEnd } = report.analysis;
	const gap = 10;
	const boxWidth = (CONTENT_WIDTH - 3 * gap) / 4;
	const boxHeight = 58;
	const nameOf = (id: string | undefined) => (id ? (report.byId.get(id)?.touchpoint.title ?? '') : '');
	const figures = [
		{ label: t('export.summary.rememberedAs'), value: peakEnd.remembered, note: t('export.summary.rememberedFormula'), strong: true },
		{ label: t('export.report.average'), value: peakEnd.average, note: '', strong: false },
		{ label: t('emotion.peak'), value: peakEnd.peak?.emotion ?? null, note: nameOf(peakEnd.peak?.touchpointId), strong: false },
		{ label: t('emotion.end'), value: peakEnd.end?.emotion ?? null, note: nameOf(peakEnd.end?.touchpointId), strong: false }
	];
	figures.forEach((figure, index) => {
		const x = PAGE.margin + index * (boxWidth + gap);
		doc
			.roundedRect(x, y, boxWidth, boxHeight, 6)
			.lineWidth(figure.strong ? 1.6 : 0.75)
			.fillAndStroke(figure.strong ? '#eef3f9' : '#ffffff', figure.strong ? COLORS.ink : COLORS.line);
		drawText(context, figure.label, x + 8, y + 7, { size: 8, bold: true, color: COLORS.muted, width: boxWidth - 16, oneLine: true });
		const value = figure.value === null ? '—' : pdfNumber(context, figure.value, true);
		drawText(context, value, x + 8, y + 17, {
			size: 20,
			bold: true,
			color: figure.value === null ? COLORS.muted : signColor(figure.value),
			width: boxWidth - 16,
			oneLine: true
		});
		if (figure.note) drawText(context, figure.note, x + 8, y + 43, { size: 7.5, color: COLORS.muted, width: boxWidth - 16, oneLine: true });
	});
	y += boxHeight + 10;
	if (peakEnd.remembered === null || peakEnd.average === null) {
		return y + drawText(context, t('export.summary.noEmotionData'), PAGE.margin, y, { size: 9.5 }) + 8;
	}
	const sentence = `${t('export.summary.rememberedVsAverage', { remembered: pdfNumber(context, peakEnd.remembered, true), average: pdfNumber(context, peakEnd.average, true) })} ${t('export.summary.rememberedExplained')}`;
	y += drawText(context, sentence, PAGE.margin, y, { size: 9.5 }) + 6;
	const { worstNegative, bestPositive } = emotionExtremes(report.journey);
	const checks = [
		{
			name: t('export.report.balanceCheck'),
			ok: peakEnd.balanceOk,
			detail: t('export.report.balanceDetail', {
				worstNegative: pdfNumber(context, worstNegative, true),
				bestPositive: pdfNumber(context, bestPositive, true)
			})
		},
		{
			name: t('export.report.endCheck'),
			ok: peakEnd.endOk,
			detail: t('export.report.endDetail', { end: pdfNumber(context, peakEnd.end!.emotion, true) })
		}
	];
	for (const check of checks) {
		drawCheckMark(context, check.ok, PAGE.margin + 5.5, y + 6);
		const verdict = check.ok === null ? t('export.report.notComputed') : check.ok ? t('export.report.passes') : t('export.report.fails');
		y +=
			drawText(context, `${check.name}: ${verdict} — ${check.detail}`, PAGE.margin + 16, y + 1, { size: 9, width: CONTENT_WIDTH - 16 }) + 5;
	}
	return y + 8;
}

interface Column {
	title: string;
	width: number;
	align?: 'left' | 'right' | 'center';
}

interface Cell {
	text: string;
	bold?: boolean;
	color?: string;
	/** Space left of the text, e.g. for a kind mark. */
	indent?: number;
}

function drawTableRow(context: PdfContext, columns: Column[], cells: Cell[], y: number, header = false): void {
	let x = PAGE.margin;
	columns.forEach((column, index) => {
		const cell = cells[index];
		const indent = cell.indent ?? 0;
		drawText(context, cell.text, x + 3 + indent, y + 4, {
			size: header ? 7.5 : 8.5,
			bold: header || cell.bold,
			color: header ? COLORS.muted : cell.color,
			width: column.width - 6 - indent,
			align: column.align,
			oneLine: true
		});
		x += column.width;
	});
	context.doc
		.moveTo(PAGE.margin, y + ROW_HEIGHT)
		.lineTo(PAGE.margin + CONTENT_WIDTH, y + ROW_HEIGHT)
		.lineWidth(0.5)
		.strokeColor(COLORS.line)
		.stroke();
}

/** Why there is no key experience: no scores yet, or none falls short. */
function noKeyExperiences(report: JourneyReport, t: Translator): string {
	return report.analysis.gaps.length === 0 ? t('export.report.noGaps') : t('export.summary.noKeyExperiences');
}

function drawKeyExperiences(context: PdfContext, report: JourneyReport, y: number): number {
	const { t } = context;
	const keys = report.analysis.gaps.filter((gap) => gap.weighted !== null && gap.weighted < 0);
	y = drawHeading(context, t('export.summary.keyExperiences'), ensureSpace(context, y, 30 + ROW_HEIGHT * Math.min(keys.length + 1, 4)));
	if (keys.length === 0) return y + drawText(context, noKeyExperiences(report, t), PAGE.margin, y, { size: 9.5 }) + 12;
	const columns: Column[] = [
		{ title: '#', width: 18, align: 'right' },
		{ title: t('export.report.touchpoint'), width: 122 },
		{ title: t('export.short.owner'), width: 98 },
		{ title: t('export.short.expectation'), width: 52, align: 'right' },
		{ title: t('export.short.experience'), width: 52, align: 'right' },
		{ title: t('export.short.importance'), width: 52, align: 'right' },
		{ title: t('export.short.weighted'), width: 64, align: 'right' },
		{ title: t('export.short.evidence'), width: CONTENT_WIDTH - 458, align: 'right' }
	];
	drawTableRow(
		context,
		columns,
		columns.map((column, index) => ({ text: column.title, indent: index === 1 ? 10 : 0 })),
		y,
		true
	);
	y += ROW_HEIGHT;
	for (const [index, gap] of keys.slice(0, MAX_KEY_EXPERIENCES).entries()) {
		y = ensureSpace(context, y, ROW_HEIGHT);
		const touchpoint = report.byId.get(gap.touchpointId)!;
		const count = touchpoint.evidence.length;
		drawKindMark(context, touchpoint.touchpoint.kind, PAGE.margin + 18 + 7, y + ROW_HEIGHT / 2 + 1);
		drawTableRow(
			context,
			columns,
			[
				{ text: String(index + 1) },
				{ text: touchpoint.touchpoint.title || '—', bold: true, indent: 10 },
				{
					text: touchpoint.touchpoint.owner || t('export.summary.noOwner'),
					color: touchpoint.touchpoint.owner ? COLORS.text : COLORS.muted
				},
				{ text: pdfNumber(context, gap.expectation) },
				{ text: pdfNumber(context, gap.experience) },
				{ text: gap.importance === null ? '—' : pdfNumber(context, gap.importance) },
				{ text: pdfNumber(context, gap.weighted!, true), bold: true, color: COLORS.negative },
				{
					text: count === 0 ? t('export.summary.noneShort') : String(count),
					color: count === 0 ? COLORS.assumedText : COLORS.text,
					bold: count === 0
				}
			],
			y
		);
		y += ROW_HEIGHT;
	}
	if (keys.length > MAX_KEY_EXPERIENCES) {
		y +=
			drawText(context, t('export.summary.more', { count: keys.length - MAX_KEY_EXPERIENCES }), PAGE.margin + 23, y + 3, {
				size: 8,
				color: COLORS.muted
			}) + 3;
	}
	return y + 14;
}

const COLUMN_GAP = 20;
const HALF_WIDTH = (CONTENT_WIDTH - COLUMN_GAP) / 2;
const DEPARTMENT_ROW_HEIGHT = 27;
const PEAK_ROW_HEIGHT = 15;

/** A heading over one half of the page, with a rule; returns the y below it. */
function drawHalfHeading(context: PdfContext, text: string, x: number, y: number): number {
	const height = drawText(context, text, x, y, { size: 12, bold: true, color: COLORS.ink, width: HALF_WIDTH, oneLine: true });
	context.doc
		.moveTo(x, y + height + 3)
		.lineTo(x + HALF_WIDTH, y + height + 3)
		.lineWidth(0.75)
		.strokeColor(COLORS.line)
		.stroke();
	return y + height + 11;
}

/** Departments as bars of their summed negative weighted gaps, each with its touchpoints named. */
function drawDepartments(context: PdfContext, report: JourneyReport, x: number, y: number): number {
	const { doc, t } = context;
	const burdens = departmentBurdens(report);
	y = drawHalfHeading(context, t('export.summary.departments'), x, y);
	if (burdens.length === 0) return y + drawText(context, noKeyExperiences(report, t), x, y, { size: 9, width: HALF_WIDTH });
	y += drawText(context, t('export.summary.departmentsIntro'), x, y, { size: 8, color: COLORS.muted, width: HALF_WIDTH }) + 5;
	const nameWidth = 118;
	const barMax = HALF_WIDTH - nameWidth - 34;
	const worst = Math.abs(burdens[0].weighted);
	for (const burden of burdens.slice(0, MAX_DEPARTMENTS)) {
		drawText(context, burden.owner || t('export.summary.noOwner'), x, y + 1, { size: 9, bold: true, width: nameWidth - 6, oneLine: true });
		const barWidth = Math.max(2, (Math.abs(burden.weighted) / worst) * barMax);
		doc.rect(x + nameWidth, y + 2, barWidth, 10).fill(COLORS.negative);
		drawText(context, pdfNumber(context, burden.weighted, true), x + nameWidth + barWidth + 4, y + 1.5, {
			size: 9,
			bold: true,
			color: COLORS.negative,
			width: 32,
			oneLine: true
		});
		const names = burden.touchpoints.map((touchpoint) => touchpoint.touchpoint.title).join(', ');
		drawText(context, `${t('export.summary.touchpointsCount', { count: burden.touchpoints.length })}: ${names}`, x, y + 13.5, {
			size: 7.5,
			color: COLORS.muted,
			width: HALF_WIDTH,
			oneLine: true
		});
		y += DEPARTMENT_ROW_HEIGHT;
	}
	if (burdens.length > MAX_DEPARTMENTS)
		y += drawText(context, t('export.summary.more', { count: burdens.length - MAX_DEPARTMENTS }), x, y, {
			size: 8,
			color: COLORS.muted,
			width: HALF_WIDTH
		});
	return y;
}

function drawUnsupportedPeaks(context: PdfContext, report: JourneyReport, x: number, y: number): number {
	const { t } = context;
	const ids = report.analysis.evidence.unsupportedPeaks;
	y = drawHalfHeading(context, t('export.summary.unsupportedPeaks'), x, y);
	if (ids.length === 0) return y + drawText(context, t('export.summary.allPeaksSupported'), x, y, { size: 9, width: HALF_WIDTH });
	y += drawText(context, t('export.report.unsupportedPeaksIntro'), x, y, { size: 8, color: COLORS.muted, width: HALF_WIDTH }) + 5;
	for (const id of ids.slice(0, MAX_UNSUPPORTED_PEAKS)) {
		const touchpoint = report.byId.get(id)!;
		drawKindMark(context, touchpoint.touchpoint.kind, x + 4, y + 6);
		const stage = touchpoint.stage ? ` (${touchpoint.stage.name})` : '';
		const owner = touchpoint.touchpoint.owner ? ` — ${touchpoint.touchpoint.owner}` : '';
		drawText(context, `${touchpoint.touchpoint.title || '—'}${stage}${owner}`, x + 12, y, {
			size: 9,
			width: HALF_WIDTH - 12,
			oneLine: true
		});
		y += PEAK_ROW_HEIGHT;
	}
	if (ids.length > MAX_UNSUPPORTED_PEAKS)
		y += drawText(context, t('export.summary.more', { count: ids.length - MAX_UNSUPPORTED_PEAKS }), x + 12, y, {
			size: 8,
			color: COLORS.muted,
			width: HALF_WIDTH - 12
		});
	return y;
}

/** Who owns the worst touchpoints, beside the moments of truth that rest on no evidence. */
function drawOwnersAndAssumptions(context: PdfContext, report: JourneyReport, y: number): number {
	const departments = Math.min(departmentBurdens(report).length, MAX_DEPARTMENTS + 1);
	const peaks = Math.min(report.analysis.evidence.unsupportedPeaks.length, MAX_UNSUPPORTED_PEAKS + 1);
	const needed = 50 + Math.max(departments * DEPARTMENT_ROW_HEIGHT, peaks * PEAK_ROW_HEIGHT);
	y = ensureSpace(context, y, needed);
	const left = drawDepartments(context, report, PAGE.margin, y);
	const right = drawUnsupportedPeaks(context, report, PAGE.margin + HALF_WIDTH + COLUMN_GAP, y);
	return Math.max(left, right) + 12;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The executive summary of a journey as a PDF: title, remembered score against the average with the
 * balance and end checks, the emotion curve as vector lines, the key experiences with their evidence
 * counts, the last closed dot vote, the departments owning the worst touchpoints, the moments of
 * truth without evidence, and a section on the customer segments (their curves overlaid, figures,
 * paradoxes and divergences); under the title, when and from what it was made and the evidence
 * behind it. Set in Helvetica when it can print every word, else in the shipped Noto Sans SC (so
 * Chinese renders without system fonts); characters the font lacks are listed in a note at the end.
 */
export async function summaryPdf(journey: Journey, locale: Locale = 'en', reportContext?: ReportContext): Promise<Buffer> {
	const t = translator(locale);
	const report = journeyReport(journey);
	const doc = new PDFDocument({
		size: 'A4',
		margins: { top: PAGE.margin, bottom: PAGE.margin / 2, left: PAGE.margin, right: PAGE.margin },
		info: { Title: journey.title || t('export.summary.heading'), Subject: t('export.summary.heading'), Creator: 'Journey workspace' },
		lang: t.locale
	});
	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		doc.on('end', resolve);
		doc.on('error', reject);
	});
	const context: PdfContext = { doc, fonts: choosePdfFonts(doc, locale !== 'en' || needsUnicodeFont(JSON.stringify(journey))), t };
	// Laying out text in the CJK font takes a while; the sync server shares this process, so the
	// work is cut into sections with a turn of the event loop between them.
	let y = drawHeader(context, report, reportContext, PAGE.margin);
	y = drawScores(context, report, y);
	await nextTurn();
	y = drawHeading(context, t('emotion.curve'), ensureSpace(context, y, EMOTION_CHART_HEIGHT + 30));
	y = drawEmotionChart(context, report, y) + 8;
	await nextTurn();
	y = drawKeyExperiences(context, report, y);
	y = drawLastVote(context, reportContext, y);
	y = drawRatingRounds(context, reportContext, y);
	await nextTurn();
	y = drawOwnersAndAssumptions(context, report, y);
	await nextTurn();
	y = drawActions(
		context,
		journey,
		report.analysis.actions.map((action) => action.actionId),
		reportContext,
		y
	);
	y = drawSegments(context, journey, report.analysis, y);
	drawMissingCharactersNote(context, y);
	doc.end();
	await finished;
	return Buffer.concat(chunks);
}
