import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { collectionMap, journeyToDoc, readJourney } from '$lib/journey/document';
import { journeyCsv } from '$lib/journey/export/csv';
import { journeyMarkdown } from '$lib/journey/export/markdown';
import { journeySvg } from '$lib/journey/export/svg';
import { parseJourney } from '$lib/journey/schema';
import bankBranch from '$lib/journey/templates/bank-branch.json';
import { summaryPdf } from './pdf';

describe('exports of a board with unplaced cards and unreadable fields', () => {
	it('render every format, the CSV with a row per card', async () => {
		const parsed = parseJourney(bankBranch);
		if (!parsed.ok) throw new Error(parsed.error);
		const doc = journeyToDoc(parsed.value);
		collectionMap(doc, 'stages').delete('s2');
		const title = new Y.Map<unknown>();
		collectionMap(doc, 'touchpoints').get('t8')!.set('title', title);
		collectionMap(doc, 'touchpoints').get('t9')!.set('emotion', 99);
		const journey = readJourney(doc);
		for (const locale of ['en', 'zh-CN'] as const) {
			expect(journeyCsv(journey, locale).trim().split('\r\n')).toHaveLength(16);
			const markdown = journeyMarkdown(journey, locale);
			expect(markdown).toContain(locale === 'en' ? 'the field “title” could not be read' : '字段“title”无法读取');
			expect(journeySvg(journey, locale)).toContain('<svg');
			expect((await summaryPdf(journey, locale)).subarray(0, 4).toString()).toBe('%PDF');
		}
	});
});
