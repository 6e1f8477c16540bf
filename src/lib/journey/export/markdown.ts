import { translator, type Locale, type Translator } from '../../i18n';
import type { Evidence, Journey } from '../schema';
import { segmentsMarkdown } from './segments-export';
import {
	emotionExtremes,
	END_ICON,
	formatNumber,
	formatPercent,
	journeyReport,
	KIND_ICON,
	PEAK_ICON,
	type JourneyReport,
	type TouchpointReport
} from './report';

/**
 * Journey text as inert Markdown inline text: one line, with every character that could start
 * markup (emphasis, code, links, HTML, entities, tables, headings) backslash-escaped, and a
 * leading list or heading marker too, so a touchpoint titled `<script>` or `[x](javascript:…)`
 * renders as exactly those characters.
 */
export function markdownText(text: string): string {
	return text
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/[\\`*_[\]<>|~#]|&(?=#?\w+;)/g, (char) => `\\${char}`)
		.replace(/^([-+=])/, '\\$1')
		.replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A cell of a Markdown table (escaped text; empty cells show a dash). */
function cell(text: string): string {
	return text === '' ? '—' : text;
}

function table(header: string[], rows: string[][]): string[] {
	return [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)
	];
}

/** A number for the report; blank when absent. */
function num(value: number | null | undefined, signed = false): string {
	return value === null || value === undefined ? '' : formatNumber(value, { signed });
}

function touchpointName(report: TouchpointReport): string {
	return `${KIND_ICON[report.touchpoint.kind]} ${markdownText(report.touchpoint.title) || '—'}`;
}

/** An http(s) URL as an autolink; anything else as plain text (no javascript: links). */
function markdownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && !/[\s<>]/.test(parsed.href)) {
			return `<${parsed.href}>`;
		}
	} catch {
		// not a URL: shown as text below
	}
	return markdownText(url);
}

function evidenceLine(item: Evidence, t: Translator): string {
	const parts: string[] = [];
	if (item.text) parts.push(item.type === 'quote' ? `“${markdownText(item.text)}”` : markdownText(item.text));
	if (item.value !== null) parts.push(`${markdownText(formatNumber(item.value))}${item.unit ? ` ${markdownText(item.unit)}` : ''}`);
	if (item.count !== null) parts.push(markdownText(t('evidence.customers', { count: item.count })));
	if (item.source) parts.push(`_${markdownText(item.source)}_`);
	if (item.url) parts.push(markdownUrl(item.url));
	return `- **${t(`evidenceType.${item.type}`)}**: ${parts.join(' · ') || '—'}`;
}

function peakEndSection(report: JourneyReport, t: Translator): string[] {
	const { peakEnd } = report.analysis;
	const lines = [`## ${t('export.report.peakEnd')}`, '', t('export.report.peakEndIntro'), ''];
	if (!peakEnd.peak || !peakEnd.end) return [...lines, t('export.report.noEmotions'), ''];
	const peak = report.byId.get(peakEnd.peak.touchpointId);
	const end = report.byId.get(peakEnd.end.touchpointId);
	const { worstNegative, bestPositive } = emotionExtremes(report.journey);
	const check = (name: string, ok: boolean | null, detail: string) =>
		`- ${ok === null ? '' : ok ? '✅ ' : '❌ '}${name}: **${
			ok === null ? t('export.report.notComputed') : ok ? t('export.report.passes') : t('export.report.fails')
		}** — ${detail}`;
	return [
		...lines,
		`- **${t('export.report.remembered')}: ${num(peakEnd.remembered, true)}**`,
		`- ${t('export.report.average')}: ${num(peakEnd.average, true)}`,
		`- ${PEAK_ICON} ${t('export.report.peakRow')}: ${peak ? touchpointName(peak) : ''} (${num(peakEnd.peak.emotion, true)})`,
		`- ${END_ICON} ${t('export.report.endRow')}: ${end ? touchpointName(end) : ''} (${num(peakEnd.end.emotion, true)})`,
		check(
			t('export.report.balanceCheck'),
			peakEnd.balanceOk,
			t('export.report.balanceDetail', { worstNegative: num(worstNegative, true), bestPositive: num(bestPositive, true) })
		),
		check(t('export.report.endCheck'), peakEnd.endOk, t('export.report.endDetail', { end: num(peakEnd.end.emotion, true) })),
		''
	];
}

function keyExperiencesSection(report: JourneyReport, t: Translator): string[] {
	const lines = [`## ${t('export.report.keyExperiences')}`, '', t('export.report.keyExperiencesIntro'), ''];
	const { gaps } = report.analysis;
	if (gaps.length === 0) return [...lines, t('export.report.noGaps'), ''];
	// The ideal-gap column only when some touchpoint has an ideal score.
	const withIdeal = gaps.some((gap) => gap.idealGap !== null);
	const header = [
		t('export.report.rank'),
		t('export.report.touchpoint'),
		t('export.short.stage'),
		t('export.short.owner'),
		t('export.short.expectation'),
		t('export.short.experience'),
		t('export.short.satisfaction'),
		t('export.short.importance'),
		t('export.short.weighted'),
		...(withIdeal ? [t('export.short.idealGap')] : []),
		t('export.short.evidence')
	];
	const rows = gaps.map((gap, index) => {
		const touchpoint = report.byId.get(gap.touchpointId)!;
		const weighted = num(gap.weighted, true);
		return [
			String(index + 1),
			touchpointName(touchpoint),
			markdownText(touchpoint.stage?.name ?? ''),
			markdownText(touchpoint.touchpoint.owner),
			num(gap.expectation),
			num(gap.experience),
			num(gap.satisfaction, true),
			num(gap.importance),
			gap.weighted !== null && gap.weighted < 0 ? `**${weighted}**` : weighted,
			...(withIdeal ? [num(gap.idealGap, true)] : []),
			String(touchpoint.evidence.length)
		];
	});
	return [...lines, ...table(header, rows), ''];
}

function markingsSection(report: JourneyReport, t: Translator): string[] {
	const lines = [`## ${t('export.report.markings')}`, ''];
	if (report.analysis.markings.length === 0) return [...lines, t('export.none'), ''];
	return [
		...lines,
		...report.analysis.markings.map((marking) => {
			const touchpoint = report.byId.get(marking.touchpointId)!;
			const issue =
				marking.issue === 'invalid-field'
					? t('export.markingIssue.invalid-field', { field: marking.field ?? '' })
					: t(`export.markingIssue.${marking.issue}`);
			return `- ⚠ ${touchpointName(touchpoint)} (${num(touchpoint.touchpoint.emotion, true)}): ${issue}`;
		}),
		''
	];
}

function unsupportedPeaksSection(report: JourneyReport, t: Translator): string[] {
	const lines = [`## ${t('export.report.unsupportedPeaks')}`, ''];
	const { unsupportedPeaks } = report.analysis.evidence;
	if (unsupportedPeaks.length === 0) return [...lines, t('export.none'), ''];
	return [
		...lines,
		t('export.report.unsupportedPeaksIntro'),
		'',
		...unsupportedPeaks.map((id) => {
			const touchpoint = report.byId.get(id)!;
			const stage = touchpoint.stage ? ` (${markdownText(touchpoint.stage.name)})` : '';
			return `- ${touchpointName(touchpoint)}${stage}: ${t(`kind.${touchpoint.touchpoint.kind}`)}, ${t('export.noEvidence')}`;
		}),
		''
	];
}

function coverageSection(report: JourneyReport, t: Translator): string[] {
	const { covered, total, ratio } = report.analysis.evidence;
	return [
		`## ${t('export.report.coverage')}`,
		'',
		`${t('export.report.coverageSentence', { covered, total, percent: formatPercent(ratio) })} ${t('export.report.assumptions', { count: total - covered })}`,
		''
	];
}

function touchpointSection(touchpoint: TouchpointReport, t: Translator): string[] {
	const { touchpoint: fields, gap } = touchpoint;
	const flags = [touchpoint.isPeak ? `${PEAK_ICON} ${t('emotion.peak')}` : '', touchpoint.isEnd ? `${END_ICON} ${t('emotion.end')}` : '']
		.filter(Boolean)
		.join(' · ');
	const facts: [string, string][] = [
		[t('export.short.kind'), t(`kind.${fields.kind}`)],
		[t('export.short.lane'), markdownText(touchpoint.lane?.name ?? '')],
		[t('export.short.emotion'), num(fields.emotion, true)],
		[t('export.short.expectation'), num(fields.expectation)],
		[t('export.short.experience'), num(fields.experience)],
		[t('export.short.importance'), num(fields.importance)],
		[t('export.short.ideal'), num(fields.ideal)],
		[t('export.short.satisfaction'), num(gap?.satisfaction, true)],
		[t('export.short.weighted'), num(gap?.weighted, true)],
		[t('export.short.idealGap'), num(gap?.idealGap, true)],
		[t('export.short.channel'), markdownText(fields.channel)],
		[t('export.short.owner'), markdownText(fields.owner)]
	];
	return [
		`#### ${touchpointName(touchpoint)}${flags ? ` — ${flags}` : ''}`,
		'',
		...(fields.description ? [markdownText(fields.description), ''] : []),
		...(touchpoint.markingIssue ? [`⚠ ${t(`export.markingIssue.${touchpoint.markingIssue}`)}`, ''] : []),
		facts
			.filter(([, value]) => value !== '')
			.map(([label, value]) => `${label}: **${value}**`)
			.join(' · '),
		'',
		`${t('export.report.evidence')}:`,
		'',
		...(touchpoint.evidence.length === 0 ? [`- _${t('export.noEvidence')}_`] : touchpoint.evidence.map((item) => evidenceLine(item, t))),
		''
	];
}

function stagesSection(report: JourneyReport, t: Translator): string[] {
	const lines = [`## ${t('export.report.touchpointsByStage')}`, ''];
	if (report.touchpoints.length === 0) return [...lines, t('export.report.noTouchpoints'), ''];
	// Journey order groups touchpoints by stage already; a run of one stage is one section.
	let currentStage: string | null | undefined;
	let stageNumber = 0;
	for (const touchpoint of report.touchpoints) {
		const stageId = touchpoint.stage?.id ?? null;
		if (stageId !== currentStage) {
			currentStage = stageId;
			stageNumber += 1;
			const name = touchpoint.stage ? markdownText(touchpoint.stage.name) : t('export.report.noStage');
			lines.push(`### ${stageNumber}. ${name || '—'}`, '');
		}
		lines.push(...touchpointSection(touchpoint, t));
	}
	return lines;
}

/**
 * The journey as a Markdown report: title, peak–end (remembered against average, balance and end
 * checks), key experiences (worst weighted gaps first), marking warnings, unsupported peaks,
 * evidence coverage, a section per customer segment (with its paradoxes and divergences), and every
 * touchpoint by stage with its evidence.
 */
export function journeyMarkdown(journey: Journey, locale: Locale = 'en'): string {
	const t = translator(locale);
	const report = journeyReport(journey);
	const lines = [
		`# ${markdownText(journey.title) || '—'}`,
		'',
		t('export.report.subtitle', { touchpoints: report.touchpoints.length, stages: report.stages.length }),
		'',
		...peakEndSection(report, t),
		...keyExperiencesSection(report, t),
		...markingsSection(report, t),
		...unsupportedPeaksSection(report, t),
		...coverageSection(report, t),
		...segmentsMarkdown(journey, report.analysis, t),
		...stagesSection(report, t)
	];
	return (
		lines
			.join('\n')
			.replace(/\n{3,}/g, '\n\n')
			.trimEnd() + '\n'
	);
}
