import { formatFigure } from '../../journey/figures';
import type { Analysis } from '../../journey/analysis';
import {
	DIVERGENCE_SENTENCES,
	divergenceSentence,
	paradoxSentence,
	segmentFigures,
	segmentOverlay,
	sentenceText
} from '../../journey/segment-findings';
import type { Journey } from '../../journey/schema';
import { COLORS, CONTENT_WIDTH, drawFlag, drawHeading, drawStar, drawText, ensureSpace, PAGE, type PdfContext } from './pdf-page';

/** Height of the overlaid segment curves in the PDF. */
const OVERLAY_HEIGHT = 130;
const AXIS_WIDTH = 18;

/**
 * The summary's customer-segment section: every segment's emotion curve overlaid (peaks ★ and
 * ends ■ marked), each segment's remembered score beside its average and worst key experiences,
 * then every paradox and the largest divergences in words. Nothing on a board without segments.
 */
export function drawSegments(context: PdfContext, journey: Journey, analysis: Analysis, y: number): number {
	if (analysis.segments.length === 0) return y;
	const { doc, t } = context;
	y = drawHeading(context, t('segment.overlay'), ensureSpace(context, y, OVERLAY_HEIGHT + 60));
	const overlay = segmentOverlay(journey, analysis, {
		left: PAGE.margin + AXIS_WIDTH,
		top: y,
		width: CONTENT_WIDTH - AXIS_WIDTH,
		height: OVERLAY_HEIGHT
	});
	for (const tick of overlay.ticks) {
		doc
			.moveTo(PAGE.margin + AXIS_WIDTH, tick.y)
			.lineTo(PAGE.margin + CONTENT_WIDTH, tick.y)
			.lineWidth(tick.value === 0 ? 0.8 : 0.4)
			.strokeColor(tick.value === 0 ? '#9aa3ad' : '#e3e6ea')
			.stroke();
		drawText(context, `${tick.value > 0 ? '+' : ''}${formatFigure(tick.value)}`, PAGE.margin, tick.y - 4, {
			size: 7,
			color: COLORS.muted,
			width: AXIS_WIDTH
		});
	}
	for (const curve of overlay.curves) {
		curve.points.forEach((point, index) => (index === 0 ? doc.moveTo(point.x, point.y) : doc.lineTo(point.x, point.y)));
		if (curve.points.length > 1) doc.lineWidth(1.6).strokeColor(curve.color).stroke();
		for (const point of curve.points) doc.circle(point.x, point.y, 2).fillColor(curve.color).fill();
		// Drawn, not set in type: the fallback font has no star or flag.
		if (curve.peak) drawStar(context, curve.peak.x, curve.peak.y - 8, 4, curve.color);
		if (curve.end) drawFlag(context, curve.end.x + 4, curve.end.y - 4, 8, curve.color);
	}
	y += OVERLAY_HEIGHT + 6;
	let x = PAGE.margin;
	for (const curve of overlay.curves) {
		doc
			.rect(x, y + 3, 10, 3)
			.fillColor(curve.color)
			.fill();
		const label = `${curve.name}   `;
		drawText(context, label, x + 13, y, { size: 8, width: 150, oneLine: true });
		x += 13 + Math.min(150, doc.widthOfString(label));
		if (x > PAGE.margin + CONTENT_WIDTH - 120) {
			x = PAGE.margin;
			y += 11;
		}
	}
	y += 16;
	for (const { segment, color, worst } of segmentFigures(journey, analysis)) {
		y = ensureSpace(context, y, 40);
		doc
			.circle(PAGE.margin + 3, y + 5, 3)
			.fillColor(color)
			.fill();
		y += drawText(context, segment.name, PAGE.margin + 10, y, { size: 10, bold: true, width: CONTENT_WIDTH - 10, oneLine: true });
		const { remembered, average } = segment.peakEnd;
		const score =
			remembered === null || average === null
				? t('segment.noEmotions')
				: t('segment.remembered', {
						remembered: formatFigure(remembered, { signed: true }),
						average: formatFigure(average, { signed: true })
					});
		const worstText = worst.map((gap) => `${gap.title || '—'} ${formatFigure(gap.weighted ?? 0)}`).join(' · ');
		y += drawText(context, `${score}${worstText ? ` — ${t('segment.worst')}: ${worstText}` : ''}`, PAGE.margin + 10, y, {
			size: 8.5,
			width: CONTENT_WIDTH - 10
		});
		y += 4;
	}
	const sentences = (title: string, lines: string[]) => {
		if (lines.length === 0) return;
		y = drawHeading(context, title, ensureSpace(context, y, 40));
		for (const line of lines) {
			y = ensureSpace(context, y, 24);
			y += drawText(context, `• ${line}`, PAGE.margin, y, { size: 9, width: CONTENT_WIDTH }) + 3;
		}
	};
	sentences(
		t('segment.paradoxes'),
		analysis.paradoxes.map((paradox) => sentenceText(paradoxSentence(t, journey, paradox), (title) => `“${title}”`))
	);
	sentences(
		t('segment.divergence'),
		analysis.divergence
			.slice(0, DIVERGENCE_SENTENCES)
			.map((entry) => sentenceText(divergenceSentence(t, journey, entry), (title) => `“${title}”`))
	);
	return y + 8;
}
