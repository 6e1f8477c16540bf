/**
 * The per-segment parts of the exports: the CSV's extra rows (one per touchpoint and segment) and
 * the Markdown report's section per segment, with the paradoxes and largest divergences in words.
 */
import type { Translator } from '../../i18n';
import type { Analysis } from '../analysis';
import { DIVERGENCE_SENTENCES, divergenceSentence, paradoxSentence, segmentFigures, sentenceText } from '../segment-findings';
import { formatFigure } from '../figures';
import { journeyForSegment, segmentsInOrder } from '../segments';
import type { Journey } from '../schema';
import { markdownText } from './markdown';
import { journeyReport, type TouchpointReport } from './report';

/** Each segment's touchpoint reports (its effective values and its own peak and end), in segment order. */
export function segmentReports(journey: Journey): { name: string; touchpoints: TouchpointReport[] }[] {
	return segmentsInOrder(journey).map((segment) => ({
		name: segment.name,
		touchpoints: journeyReport({ ...journeyForSegment(journey, segment.id), segments: [] }).touchpoints
	}));
}

/** The Markdown section per segment: remembered against average, worst key experiences; then paradoxes and divergences. */
export function segmentsMarkdown(journey: Journey, analysis: Analysis, t: Translator): string[] {
	if (analysis.segments.length === 0) return [];
	const lines = [`## ${t('segment.tab')}`, ''];
	for (const { segment, worst } of segmentFigures(journey, analysis)) {
		const { remembered, average } = segment.peakEnd;
		lines.push(`### ${markdownText(segment.name) || '—'}`, '');
		lines.push(
			remembered === null || average === null
				? t('segment.noEmotions')
				: t('segment.remembered', {
						remembered: formatFigure(remembered, { signed: true }),
						average: formatFigure(average, { signed: true })
					}),
			''
		);
		lines.push(`${t('segment.worst')}:`, '');
		if (worst.length === 0) lines.push(`- ${t('segment.noWorst')}`);
		for (const gap of worst) lines.push(`- ${markdownText(gap.title) || '—'}: **${formatFigure(gap.weighted ?? 0)}**`);
		lines.push('');
	}
	const emphasis = (title: string) => `*${markdownText(title) || '—'}*`;
	// Escaped around the title, keeping the spaces beside it, which the escaping would trim.
	const around = (text: string) => `${/^\s*/.exec(text)![0]}${markdownText(text)}${/\s*$/.exec(text)![0]}`;
	const escaped = (parts: ReturnType<typeof paradoxSentence>) =>
		sentenceText({ before: around(parts.before), touchpoint: parts.touchpoint, after: around(parts.after) }, emphasis);
	if (analysis.paradoxes.length > 0) {
		lines.push(`### ${t('segment.paradoxes')}`, '');
		for (const paradox of analysis.paradoxes) lines.push(`- ${escaped(paradoxSentence(t, journey, paradox))}`);
		lines.push('');
	}
	if (analysis.divergence.length > 0) {
		lines.push(`### ${t('segment.divergence')}`, '');
		for (const entry of analysis.divergence.slice(0, DIVERGENCE_SENTENCES))
			lines.push(`- ${escaped(divergenceSentence(t, journey, entry))}`);
		lines.push('');
	}
	return lines;
}
