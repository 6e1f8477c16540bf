import type { Translator } from '../../i18n';
import { CARD_GAP, CARD_HEIGHT, CARD_WIDTH, cardPosition, type GridLayout } from '../layout';
import { END_ICON, KIND_ICON, PEAK_ICON, type JourneyReport, type TouchpointReport } from './report';
import { KIND_STYLE, PALETTE, pill, rect, signed, text } from './svg-draw';
import { textWidth, truncate, wrapText } from './text-fit';

const CARD_PADDING = 8;
const CARD_TITLE_LINES = 3;

/** A touchpoint card drawn at its place in the image; it grows to fit its content, like the app's. */
export interface Card {
	report: TouchpointReport;
	x: number;
	y: number;
	height: number;
	/** The card's drawing relative to its top-left corner. */
	svg: string;
}

function drawCard(report: TouchpointReport, t: Translator): { height: number; svg: string } {
	const { touchpoint } = report;
	const style = KIND_STYLE[touchpoint.kind];
	const inner = CARD_WIDTH - 2 * CARD_PADDING;
	const parts: string[] = [];
	let y = 6;
	const emotion = touchpoint.emotion === undefined ? '' : signed(touchpoint.emotion);
	const kindLabel = `${KIND_ICON[touchpoint.kind]} ${t(`kind.${touchpoint.kind}`).toLocaleUpperCase(t.locale)}`;
	const kindWidth = inner - (emotion ? textWidth(emotion, 13, true) + 2 : 0);
	parts.push(text(CARD_PADDING, y + 10, truncate(kindLabel, kindWidth, 10, true), { size: 10, weight: 700, fill: style.stroke }));
	if (emotion) parts.push(text(CARD_WIDTH - CARD_PADDING, y + 11, emotion, { size: 13, weight: 800, anchor: 'end' }));
	y += 14;
	for (const line of wrapText(touchpoint.title || '—', inner, 13, CARD_TITLE_LINES, true)) {
		parts.push(text(CARD_PADDING, y + 13, line, { size: 13, weight: 600 }));
		y += 16;
	}
	for (const meta of [touchpoint.channel, touchpoint.owner].filter(Boolean)) {
		parts.push(text(CARD_PADDING, y + 12, truncate(meta, inner, 11), { size: 11, fill: PALETTE.muted }));
		y += 14;
	}
	y += 4;
	let badgeX = CARD_PADDING;
	const count = report.evidence.length;
	const badges = [
		count === 0
			? { content: t('export.noEvidence'), fill: PALETTE.assumedBg, color: PALETTE.assumedText }
			: { content: t('export.evidenceCount', { count }), fill: '#eef1f5', color: PALETTE.text },
		...(report.isPeak ? [{ content: `${PEAK_ICON} ${t('emotion.peak')}`, fill: PALETTE.ink, color: '#ffffff' }] : []),
		...(report.isEnd ? [{ content: `${END_ICON} ${t('emotion.end')}`, fill: PALETTE.ink, color: '#ffffff' }] : [])
	];
	for (const badge of badges) {
		if (badgeX > CARD_PADDING && badgeX + textWidth(badge.content, 10.5) + 12 > CARD_WIDTH - CARD_PADDING) {
			badgeX = CARD_PADDING;
			y += 19;
		}
		const drawn = pill(badgeX, y, badge.content, badge.fill, badge.color);
		parts.push(drawn.svg);
		badgeX += drawn.width + 4;
	}
	const height = Math.max(CARD_HEIGHT, y + 16 + 6);
	const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
	const frame = rect(0, 0, CARD_WIDTH, height, `rx="8" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${style.width}"${dash}`);
	return { height, svg: frame + parts.join('') };
}

/** Most moves one card makes to clear the cards placed before it (a bound on pathological stacks). */
const MAX_CARD_MOVES = 50;

/**
 * Cards where the canvas draws them (the placement rule, `cardPosition`), in journey order. A card that would cover one placed before it
 * is moved right just past it: on the live canvas people drag cards apart, on a printed image a
 * hidden card cannot be read. The emotion curve and links follow the cards' drawn positions.
 */
export function placeCards(report: JourneyReport, t: Translator, layout: GridLayout): Card[] {
	const placed: Card[] = [];
	for (const entry of report.touchpoints) {
		const { height, svg } = drawCard(entry, t);
		const { x, y } = cardPosition(layout, entry.touchpoint) ?? entry.touchpoint;
		const card: Card = { report: entry, x, y, height, svg };
		for (let moves = 0; moves < MAX_CARD_MOVES; moves += 1) {
			const covered = placed.find(
				(other) =>
					card.x < other.x + CARD_WIDTH &&
					other.x < card.x + CARD_WIDTH &&
					card.y < other.y + other.height &&
					other.y < card.y + card.height
			);
			if (!covered) break;
			card.x = covered.x + CARD_WIDTH + CARD_GAP;
		}
		placed.push(card);
	}
	return placed;
}
