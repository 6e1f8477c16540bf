import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
	CARD_WIDTH,
	cardPosition,
	DEFAULT_STAGE_WIDTH,
	gridLayout,
	EMOTION_BAND_HEIGHT,
	LANE_HEADER_WIDTH,
	STAGE_HEADER_HEIGHT
} from '../layout';
import { emptyJourney, type Journey } from '../schema';
import { fixtureJourney as fixture } from '../../../../tests/support/fixtures';
import { journeySvg } from './svg';

const bankBranch = fixture('bank-branch.journey.json');

/** Parses with resvg's strict XML parser (roxmltree): it rejects bad nesting, entities and characters. */
function parseSvg(svg: string): Resvg {
	return new Resvg(svg, { font: { loadSystemFonts: false } });
}

/** The text content of every <text> element, unescaped. */
function texts(svg: string): string[] {
	return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
		match[1]
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&apos;/g, "'")
			.replace(/&amp;/g, '&')
	);
}

describe('journeySvg', () => {
	const svg = journeySvg(bankBranch);

	it('is a well-formed standalone SVG', () => {
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		const parsed = parseSvg(svg);
		expect(parsed.width).toBeGreaterThan(0);
		expect(parsed.height).toBeGreaterThan(0);
	});

	it('is as wide as the grid with its lane headers and as tall as the stage row, lanes and emotion band', () => {
		const parsed = parseSvg(svg);
		// 5 stages × 640 + 170 of lane headers (+ margins); 56 + 3 × 200 + 240 (+ title band and margins).
		expect(parsed.width).toBeGreaterThanOrEqual(5 * DEFAULT_STAGE_WIDTH + LANE_HEADER_WIDTH);
		expect(parsed.height).toBeGreaterThanOrEqual(STAGE_HEADER_HEIGHT + 3 * 200 + EMOTION_BAND_HEIGHT);
	});

	it('draws the stage headers, the lane names and every card with its kind icon, label and title', () => {
		const content = texts(svg);
		for (const stage of ['Before the visit', 'Arrival', 'Waiting', 'Service', 'Leaving']) expect(content).toContain(stage);
		for (const lane of ['Touchpoints', 'Customer actions', 'Backstage']) expect(content).toContain(lane);
		expect(content.filter((line) => line === '● NEUTRAL')).toHaveLength(9);
		expect(content.filter((line) => line === '▲ POSITIVE PEAK')).toHaveLength(4);
		expect(content.filter((line) => line === '▼ NEGATIVE PEAK')).toHaveLength(2);
		expect(content).toContain('Welcome');
		expect(content).toContain('Farewell');
		expect(content).toEqual(expect.arrayContaining(['Queueing and', 'waiting']));
	});

	it('colours cards by kind and dashes the negative peaks', () => {
		expect(svg.match(/stroke="#1b7f4b" stroke-width="3"/g)).toHaveLength(4);
		expect(svg.match(/stroke="#b3261e" stroke-width="3" stroke-dasharray/g)).toHaveLength(2);
	});

	it('marks the peak ★ and the end ■ on the emotion curve, and draws one point per emotion', () => {
		const content = texts(svg);
		expect(content.filter((line) => line === '★ Peak')).toHaveLength(3); // legend, Welcome's card, the curve
		expect(content.filter((line) => line === '■ End')).toHaveLength(3);
		expect(svg.match(/<circle [^>]*r="8"/g)).toHaveLength(2);
		expect(svg.match(/<circle [^>]*r="5"/g)).toHaveLength(13);
		const curve = /<path d="(M[^"]+)" fill="none" stroke="#1f3a5f" stroke-width="3"/.exec(svg);
		expect(curve?.[1].split(' ')).toHaveLength(15);
	});

	it('puts each curve point under the centre of its card, where the canvas draws it', () => {
		const curve = /<path d="(M[^"]+)" fill="none" stroke="#1f3a5f" stroke-width="3"/.exec(svg)!;
		const xs = curve[1].split(' ').map((point) => Number(point.slice(1).split(',')[0]));
		const layout = gridLayout(bankBranch);
		expect(xs.slice(0, 13)).toEqual(bankBranch.touchpoints.slice(0, 13).map((t) => cardPosition(layout, t)!.x + CARD_WIDTH / 2));
	});

	it('moves a card that would cover another right, so both can be read', () => {
		const positions = [...svg.matchAll(/<g transform="translate\(([\d.-]+) ([\d.-]+)\)"><rect x="0" y="0" width="136"/g)].map((match) =>
			Number(match[1])
		);
		expect(positions).toHaveLength(15);
		for (let index = 1; index < positions.length; index += 1) {
			expect(positions[index] - positions[index - 1]).toBeGreaterThanOrEqual(CARD_WIDTH);
		}
		// t14 (x 2670) and t15 (x 2710) overlap on the canvas; t15 is drawn clear of t14.
		expect(positions[14]).toBeGreaterThanOrEqual(2670 + CARD_WIDTH);
	});

	it('escapes every piece of journey text and has no script or external reference', () => {
		const hostile: Journey = {
			...bankBranch,
			title: '<script>alert("x")</script> & co',
			stages: bankBranch.stages.map((stage, index) => (index === 0 ? { ...stage, name: '</text><script>alert(1)</script>' } : stage)),
			lanes: bankBranch.lanes.map((lane, index) => (index === 0 ? { ...lane, name: '<image href="http://evil.example/x.png"/>' } : lane)),
			touchpoints: bankBranch.touchpoints.map((t, index) =>
				index === 0 ? { ...t, title: `"quoted" 'single' <b>bold</b> \u0000\u0008 \ud800`, owner: ']]><!--' } : t
			),
			links: [{ id: 'k1', source: 't1', target: 't2', label: '<a href="javascript:alert(1)">x</a>' }]
		};
		const output = journeySvg(hostile);
		parseSvg(output);
		expect(output).not.toMatch(/<script|<image|<a[\s>]|<foreignObject|<!--|<!\[CDATA/i);
		const tags = output.match(/<[^>]+>/g)!;
		expect(tags.filter((tag) => /\s(href|xlink:href|src|style|on\w+)=/i.test(tag))).toEqual([]);
		expect(tags.filter((tag) => /url\(|https?:/i.test(tag))).toEqual([tags[0]]);
		expect(tags[0]).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
		expect(output).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>');
		expect(texts(output)).toContain('</text><script>alert(1)</script>');
	});

	it('draws an empty journey', () => {
		const parsed = parseSvg(journeySvg(emptyJourney('Nothing yet')));
		expect(parsed.width).toBeGreaterThan(DEFAULT_STAGE_WIDTH);
	});

	it('writes its own words in Chinese for a Chinese reader', () => {
		const content = texts(journeySvg(bankBranch, 'zh-CN'));
		expect(content).toContain('情绪曲线');
		expect(content).toContain('★ 峰值');
	});
});
