import { emotionBandCurve, svgPath } from '../curve';
import { segmentFigures } from '../segment-findings';
import { touchpointForSegment } from '../segments';
import {
	CARD_WIDTH,
	DEFAULT_STAGE_WIDTH,
	EMOTION_BAND_HEIGHT,
	gridLayout,
	LANE_HEADER_WIDTH,
	STAGE_HEADER_HEIGHT,
	type GridLayout
} from '../layout';
import { translator, type Locale, type Translator } from '../../i18n';
import { EMOTION_MAX, EMOTION_MIN, type Journey } from '../schema';
import { END_ICON, formatNumber, formatPercent, journeyReport, KIND_ICON, PEAK_ICON, type JourneyReport } from './report';
import { placeCards, type Card } from './svg-cards';
import { EMOTION_COLOR, FONT_FAMILY, KIND_STYLE, PALETTE, pill, rect, signed, text } from './svg-draw';
import { textWidth, truncate, wrapText } from './text-fit';
import { escapeXml, svgNumber as n } from './xml';

/** Space around the drawing and the height of the title band above it. */
const MARGIN = 24;
const TITLE_BAND_HEIGHT = 100;
/**
 * The title band grows with the image (up to this factor), so that a wide board shrunk to fit a
 * screen still shows its title, figures and legend legibly.
 */
const MAX_TITLE_BAND_SCALE = 3;
const TITLE_BAND_REFERENCE_WIDTH = 1600;

function gridSvg(layout: GridLayout, t: Translator): string {
	const parts: string[] = [];
	const bottom = layout.height + EMOTION_BAND_HEIGHT;
	layout.rows.forEach((row, index) => {
		parts.push(rect(0, row.top, layout.width, row.height, `fill="${index % 2 ? PALETTE.rowOdd : PALETTE.row}"`));
		parts.push(
			`<line x1="0" x2="${n(layout.width)}" y1="${n(row.top + row.height)}" y2="${n(row.top + row.height)}" stroke="${PALETTE.line}"/>`
		);
	});
	for (const column of layout.columns) {
		const x = column.left + column.width;
		parts.push(
			`<line x1="${n(x)}" x2="${n(x)}" y1="${-STAGE_HEADER_HEIGHT}" y2="${n(bottom)}" stroke="${PALETTE.columnLine}" stroke-width="2" stroke-dasharray="6 6"/>`
		);
	}
	layout.columns.forEach((column, index) => {
		const top = -STAGE_HEADER_HEIGHT;
		parts.push(rect(column.left, top, column.width, STAGE_HEADER_HEIGHT, `fill="${PALETTE.ink}" stroke="#ffffff" stroke-width="2"`));
		parts.push(`<circle cx="${n(column.left + 24)}" cy="${top + STAGE_HEADER_HEIGHT / 2}" r="12" fill="#ffffff" fill-opacity="0.2"/>`);
		parts.push(
			text(column.left + 24, top + STAGE_HEADER_HEIGHT / 2 + 4, String(index + 1), { size: 12, fill: '#ffffff', anchor: 'middle' })
		);
		parts.push(
			text(column.left + 46, top + STAGE_HEADER_HEIGHT / 2 + 5, truncate(column.stage.name, column.width - 58, 15, true), {
				size: 15,
				weight: 600,
				fill: '#ffffff'
			})
		);
	});
	for (const row of layout.rows) {
		parts.push(
			rect(-LANE_HEADER_WIDTH, row.top, LANE_HEADER_WIDTH, row.height, `fill="${PALETTE.laneHeader}" stroke="#ffffff" stroke-width="2"`)
		);
		const lines = wrapText(row.lane.name, LANE_HEADER_WIDTH - 20, 14, Math.max(1, Math.floor((row.height - 30) / 18)), true);
		let y = row.top + row.height / 2 - ((lines.length - 1) * 18 + 16) / 2 + 12;
		for (const line of lines) {
			parts.push(text(-LANE_HEADER_WIDTH + 10, y, line, { size: 14, weight: 600, fill: PALETTE.ink }));
			y += 18;
		}
		const type = t(`laneType.${row.lane.type}`);
		if (type.toLocaleLowerCase() !== row.lane.name.trim().toLocaleLowerCase()) {
			parts.push(text(-LANE_HEADER_WIDTH + 10, y, truncate(type, LANE_HEADER_WIDTH - 20, 11), { size: 11, fill: PALETTE.muted }));
		}
	}
	parts.push(
		rect(
			-LANE_HEADER_WIDTH,
			-STAGE_HEADER_HEIGHT,
			LANE_HEADER_WIDTH,
			STAGE_HEADER_HEIGHT,
			`fill="${PALETTE.inkSoft}" stroke="#ffffff" stroke-width="2"`
		)
	);
	parts.push(text(-LANE_HEADER_WIDTH / 2, -STAGE_HEADER_HEIGHT / 2 + 4, t('grid.corner'), { size: 12, fill: '#ffffff', anchor: 'middle' }));
	return `<g>${parts.join('')}</g>`;
}

function emotionBandSvg(journey: Journey, report: JourneyReport, cards: Card[], top: number, width: number, t: Translator): string {
	const parts: string[] = [];
	parts.push(rect(-LANE_HEADER_WIDTH, top, width + LANE_HEADER_WIDTH, EMOTION_BAND_HEIGHT, 'fill="#ffffff"'));
	parts.push(
		`<line x1="${-LANE_HEADER_WIDTH}" x2="${n(width)}" y1="${n(top + 1)}" y2="${n(top + 1)}" stroke="${PALETTE.ink}" stroke-width="2"/>`
	);
	parts.push(rect(-LANE_HEADER_WIDTH, top + 2, LANE_HEADER_WIDTH, EMOTION_BAND_HEIGHT - 2, `fill="${PALETTE.laneHeader}"`));
	parts.push(
		text(-LANE_HEADER_WIDTH + 10, top + EMOTION_BAND_HEIGHT / 2 - 4, truncate(t('emotion.curve'), LANE_HEADER_WIDTH - 20, 14, true), {
			size: 14,
			weight: 700,
			fill: PALETTE.ink
		})
	);
	parts.push(
		text(-LANE_HEADER_WIDTH + 10, top + EMOTION_BAND_HEIGHT / 2 + 14, `+${EMOTION_MAX} … ${formatNumber(EMOTION_MIN)}`, {
			size: 11,
			fill: PALETTE.muted
		})
	);
	// The band's geometry, as the canvas draws it: points at the cards as placed in the image.
	const curve = emotionBandCurve(
		cards.map((card) => card.report.touchpoint),
		report.analysis.peakEnd,
		{ top, width },
		{ cardLeft: (_, index) => cards[index].x }
	);
	for (const { value: level, y } of curve.ticks) {
		const stroke = level === 0 ? `stroke="${PALETTE.zeroLine}"` : `stroke="${PALETTE.line}" stroke-dasharray="4 4"`;
		parts.push(`<line x1="0" x2="${n(width)}" y1="${n(y)}" y2="${n(y)}" ${stroke}/>`);
		parts.push(text(6, y - 4, signed(level), { size: 11, fill: PALETTE.muted }));
	}
	parts.push(segmentCurvesSvg(journey, report, cards, top, width, t));
	for (const segment of curve.segments) {
		parts.push(`<path d="${svgPath(segment, n)}" fill="none" stroke="${PALETTE.ink}" stroke-width="3" stroke-linejoin="round"/>`);
	}
	for (const point of curve.points) {
		const { x, y } = point;
		const emotion = point.touchpoint.emotion;
		parts.push(
			`<circle cx="${n(x)}" cy="${n(y)}" r="${point.marked ? 8 : 5}" fill="${EMOTION_COLOR[point.sign]}" stroke="#ffffff" stroke-width="2"/>`
		);
		parts.push(text(x, point.valueY, signed(emotion), { size: 12, weight: 700, anchor: 'middle' }));
		for (const marker of curve.markers.filter((candidate) => candidate.point === point)) {
			const content = marker.kind === 'peak' ? `${PEAK_ICON} ${t('emotion.peak')}` : `${END_ICON} ${t('emotion.end')}`;
			parts.push(text(marker.x, marker.y, content, { size: 12, weight: 700, fill: PALETTE.ink }));
		}
	}
	return `<g>${parts.join('')}</g>`;
}

/** Size of the overlay legend's text, a step above the band's small print: it is what tells the curves apart. */
const SEGMENT_LEGEND_SIZE = 12;
/** Horizontal room a segment’s ★ or ■ takes beside its point; marks sharing a point stand side by side. */
const SEGMENT_MARK_STEP = 13;

/**
 * Every customer segment's emotion curve in the band, in its colour under the all-customers curve,
 * its peak (★) and end (■) marked left of the point (the all-customers marks and values sit above
 * and right of it), with a legend along the band's top that names the thick line too. Nothing
 * without segments.
 */
function segmentCurvesSvg(journey: Journey, report: JourneyReport, cards: Card[], top: number, width: number, t: Translator): string {
	const figures = segmentFigures(journey, report.analysis);
	if (figures.length === 0) return '';
	const parts: string[] = [];
	const marksAt = new Map<string, number>();
	const legend: { label: string; color: string; thick: boolean }[] = [{ label: t('segment.all'), color: PALETTE.ink, thick: true }];
	for (const { segment, color } of figures) {
		const curve = emotionBandCurve(
			cards.map((card) => touchpointForSegment(card.report.touchpoint, segment.segmentId)),
			segment.peakEnd,
			{ top, width },
			{ cardLeft: (_, index) => cards[index].x }
		);
		for (const piece of curve.segments) {
			parts.push(
				`<path d="${svgPath(piece, n)}" fill="none" stroke="${escapeXml(color)}" stroke-width="2" stroke-opacity="0.9" stroke-linejoin="round"/>`
			);
		}
		for (const marker of curve.markers) {
			const place = `${n(marker.point.x)},${n(marker.point.y)}`;
			const taken = marksAt.get(place) ?? 0;
			marksAt.set(place, taken + 1);
			const icon = marker.kind === 'peak' ? PEAK_ICON : END_ICON;
			parts.push(
				text(marker.point.x - 8 - SEGMENT_MARK_STEP * taken, marker.point.y + 4, icon, {
					size: 12,
					weight: 700,
					fill: color,
					anchor: 'end'
				})
			);
		}
		legend.push({ label: truncate(segment.name, 220, SEGMENT_LEGEND_SIZE, true), color, thick: false });
	}
	let legendX = 40;
	const legendY = top + 14;
	for (const entry of legend) {
		parts.push(
			`<line x1="${n(legendX)}" x2="${n(legendX + 18)}" y1="${n(legendY)}" y2="${n(legendY)}" stroke="${escapeXml(entry.color)}" stroke-width="${entry.thick ? 4 : 3}"/>`
		);
		parts.push(text(legendX + 22, legendY + 4, entry.label, { size: SEGMENT_LEGEND_SIZE, weight: 700, fill: entry.color }));
		legendX += 22 + textWidth(entry.label, SEGMENT_LEGEND_SIZE, true) + 18;
	}
	const marks = `${PEAK_ICON} ${t('emotion.peak')} · ${END_ICON} ${t('emotion.end')} ${t('segment.marksInColour')}`;
	parts.push(text(legendX, legendY + 4, marks, { size: SEGMENT_LEGEND_SIZE, fill: PALETTE.muted }));
	return parts.join('');
}

/** Links as the canvas draws them: a bezier from the source card's right side to the target's left. */
function linksSvg(report: JourneyReport, cards: Map<string, Card>): string {
	const parts: string[] = [];
	for (const link of report.journey.links) {
		const source = cards.get(link.source);
		const target = cards.get(link.target);
		if (!source || !target) continue;
		const sx = source.x + CARD_WIDTH;
		const sy = source.y + source.height / 2;
		const tx = target.x;
		const ty = target.y + target.height / 2;
		// The same control-point offset as xyflow's default bezier edge (curvature 0.25).
		const offset = tx >= sx ? (tx - sx) / 2 : 0.25 * 25 * Math.sqrt(sx - tx);
		parts.push(
			`<path d="M${n(sx)},${n(sy)} C${n(sx + offset)},${n(sy)} ${n(tx - offset)},${n(ty)} ${n(tx)},${n(ty)}" fill="none" stroke="${PALETTE.link}" stroke-width="1.5"/>`
		);
		if (link.label) {
			const label = truncate(link.label, 160, 11);
			const mx = (sx + tx) / 2;
			const my = (sy + ty) / 2;
			const width = textWidth(label, 11) + 8;
			parts.push(rect(mx - width / 2, my - 9, width, 16, 'rx="3" fill="#ffffff"'));
			parts.push(text(mx, my + 3, label, { size: 11, fill: PALETTE.muted, anchor: 'middle' }));
		}
	}
	return `<g>${parts.join('')}</g>`;
}

function titleBandSvg(report: JourneyReport, x: number, width: number, t: Translator): string {
	const { peakEnd, evidence } = report.analysis;
	const title = truncate(report.journey.title || '—', width, 24, true);
	const facts = [
		t('export.stagesAndTouchpoints', { touchpoints: report.touchpoints.length, stages: report.stages.length }),
		peakEnd.remembered === null
			? ''
			: `${t('export.summary.rememberedAs')} ${signed(peakEnd.remembered)} · ${t('export.report.average')} ${signed(peakEnd.average!)}`,
		t('export.summary.coverage', { covered: evidence.covered, total: evidence.total, percent: formatPercent(evidence.ratio) })
	].filter(Boolean);
	const legend = [
		...(['neutral', 'positive-peak', 'negative-peak'] as const).map((kind) => ({
			content: `${KIND_ICON[kind]} ${t(`kind.${kind}`)}`,
			color: KIND_STYLE[kind].stroke
		})),
		{ content: `${PEAK_ICON} ${t('emotion.peak')}`, color: PALETTE.ink },
		{ content: `${END_ICON} ${t('emotion.end')}`, color: PALETTE.ink }
	];
	const parts = [text(x, MARGIN + 22, title, { size: 24, weight: 700, fill: PALETTE.ink })];
	parts.push(text(x, MARGIN + 44, truncate(facts.join('   ·   '), width, 13), { size: 13, fill: PALETTE.muted }));
	let legendX = x;
	for (const item of legend) {
		parts.push(text(legendX, MARGIN + 66, item.content, { size: 13, weight: 700, fill: item.color }));
		legendX += textWidth(item.content, 13, true) + 22;
	}
	const assumed = pill(legendX, MARGIN + 54, t('export.noEvidence'), PALETTE.assumedBg, PALETTE.assumedText);
	parts.push(assumed.svg);
	return `<g>${parts.join('')}</g>`;
}

/**
 * The journey canvas as a standalone SVG image, drawn with the app's geometry: the stage header
 * row, lane rows with their names, touchpoint cards coloured by kind with icon and label, links,
 * and the emotion curve band with the peak ★ and the end ■ marked (and every customer segment's
 * curve overlaid in its colour, with a legend); a title band above.
 * All journey text is XML-escaped; the image has no script and no external reference.
 */
export function journeySvg(journey: Journey, locale: Locale = 'en'): string {
	const t = translator(locale);
	const report = journeyReport(journey);
	const layout = gridLayout(journey);
	const gridWidth = Math.max(layout.width, DEFAULT_STAGE_WIDTH);
	const cards = placeCards(report, t, layout);
	// Cards may lie outside the grid; the image covers them too.
	let left = -LANE_HEADER_WIDTH;
	let right = gridWidth;
	let top = -STAGE_HEADER_HEIGHT;
	let bottom = layout.height + EMOTION_BAND_HEIGHT;
	for (const card of cards) {
		left = Math.min(left, card.x);
		right = Math.max(right, card.x + CARD_WIDTH);
		top = Math.min(top, card.y);
		bottom = Math.max(bottom, card.y + card.height);
	}
	const width = Math.ceil(Math.max(right - left, 720) + 2 * MARGIN);
	const bandScale = Math.min(MAX_TITLE_BAND_SCALE, Math.max(1, width / TITLE_BAND_REFERENCE_WIDTH));
	const bandHeight = TITLE_BAND_HEIGHT * bandScale;
	const height = Math.ceil(bottom - top + 2 * MARGIN + bandHeight);
	const originX = MARGIN - left;
	const originY = MARGIN + bandHeight - top;
	const title = escapeXml(journey.title || '—');
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" role="img">`,
		`<title>${title}</title>`,
		rect(0, 0, width, height, `fill="${PALETTE.paper}"`),
		`<g transform="scale(${n(bandScale)})">`,
		titleBandSvg(report, MARGIN / bandScale, (width - 2 * MARGIN) / bandScale, t),
		'</g>',
		`<g transform="translate(${n(originX)} ${n(originY)})">`,
		gridSvg(layout, t),
		emotionBandSvg(journey, report, cards, layout.height, gridWidth, t),
		linksSvg(report, new Map(cards.map((card) => [card.report.touchpoint.id, card]))),
		...cards.map((card) => `<g transform="translate(${n(card.x)} ${n(card.y)})">${card.svg}</g>`),
		'</g>',
		'</svg>',
		''
	].join('\n');
}
