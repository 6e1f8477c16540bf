import type { Evidence, Journey } from '../schema';
import { exportLabels, type ExportLabels } from './labels';
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

function evidenceLine(item: Evidence, labels: ExportLabels): string {
	const parts: string[] = [];
	if (item.text) parts.push(item.type === 'quote' ? `“${markdownText(item.text)}”` : markdownText(item.text));
	if (item.value !== null) parts.push(`${markdownText(formatNumber(item.value))}${item.unit ? ` ${markdownText(item.unit)}` : ''}`);
	if (item.count !== null) parts.push(markdownText(labels.customers(item.count)));
	if (item.source) parts.push(`_${markdownText(item.source)}_`);
	if (item.url) parts.push(markdownUrl(item.url));
	return `- **${labels.evidenceType[item.type]}**: ${parts.join(' · ') || '—'}`;
}

function peakEndSection(report: JourneyReport, labels: ExportLabels): string[] {
	const { peakEnd } = report.analysis;
	const lines = [`## ${labels.report.peakEnd}`, '', labels.report.peakEndIntro, ''];
	if (!peakEnd.peak || !peakEnd.end) return [...lines, labels.report.noEmotions, ''];
	const peak = report.byId.get(peakEnd.peak.touchpointId);
	const end = report.byId.get(peakEnd.end.touchpointId);
	const { worstNegative, bestPositive } = emotionExtremes(report.journey);
	const check = (name: string, ok: boolean | null, detail: string) =>
		`- ${ok === null ? '' : ok ? '✅ ' : '❌ '}${name}: **${
			ok === null ? labels.report.notComputed : ok ? labels.report.passes : labels.report.fails
		}** — ${detail}`;
	return [
		...lines,
		`- **${labels.report.remembered}: ${num(peakEnd.remembered, true)}**`,
		`- ${labels.report.average}: ${num(peakEnd.average, true)}`,
		`- ${PEAK_ICON} ${labels.report.peakRow}: ${peak ? touchpointName(peak) : ''} (${num(peakEnd.peak.emotion, true)})`,
		`- ${END_ICON} ${labels.report.endRow}: ${end ? touchpointName(end) : ''} (${num(peakEnd.end.emotion, true)})`,
		check(
			labels.report.balanceCheck,
			peakEnd.balanceOk,
			labels.report.balanceDetail(num(worstNegative, true), num(bestPositive, true))
		),
		check(labels.report.endCheck, peakEnd.endOk, labels.report.endDetail(num(peakEnd.end.emotion, true))),
		''
	];
}

function keyExperiencesSection(report: JourneyReport, labels: ExportLabels): string[] {
	const lines = [`## ${labels.report.keyExperiences}`, '', labels.report.keyExperiencesIntro, ''];
	const { gaps } = report.analysis;
	if (gaps.length === 0) return [...lines, labels.report.noGaps, ''];
	// The ideal-gap column only when some touchpoint has an ideal score.
	const withIdeal = gaps.some((gap) => gap.idealGap !== null);
	const short = labels.short;
	const header = [
		labels.report.rank,
		labels.report.touchpoint,
		short.stage,
		short.owner,
		short.expectation,
		short.experience,
		short.satisfaction,
		short.importance,
		short.weighted,
		...(withIdeal ? [short.idealGap] : []),
		short.evidence
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

function markingsSection(report: JourneyReport, labels: ExportLabels): string[] {
	const lines = [`## ${labels.report.markings}`, ''];
	if (report.analysis.markings.length === 0) return [...lines, labels.none, ''];
	return [
		...lines,
		...report.analysis.markings.map((marking) => {
			const touchpoint = report.byId.get(marking.touchpointId)!;
			return `- ⚠ ${touchpointName(touchpoint)} (${num(touchpoint.touchpoint.emotion, true)}): ${labels.markingIssue[marking.issue]}`;
		}),
		''
	];
}

function unsupportedPeaksSection(report: JourneyReport, labels: ExportLabels): string[] {
	const lines = [`## ${labels.report.unsupportedPeaks}`, ''];
	const { unsupportedPeaks } = report.analysis.evidence;
	if (unsupportedPeaks.length === 0) return [...lines, labels.none, ''];
	return [
		...lines,
		labels.report.unsupportedPeaksIntro,
		'',
		...unsupportedPeaks.map((id) => {
			const touchpoint = report.byId.get(id)!;
			const stage = touchpoint.stage ? ` (${markdownText(touchpoint.stage.name)})` : '';
			return `- ${touchpointName(touchpoint)}${stage}: ${labels.kind[touchpoint.touchpoint.kind]}, ${labels.noEvidence}`;
		}),
		''
	];
}

function coverageSection(report: JourneyReport, labels: ExportLabels): string[] {
	const { covered, total, ratio } = report.analysis.evidence;
	return [
		`## ${labels.report.coverage}`,
		'',
		`${labels.report.coverageSentence(covered, total, formatPercent(ratio))} ${labels.report.assumptions(total - covered)}`,
		''
	];
}

function touchpointSection(touchpoint: TouchpointReport, labels: ExportLabels): string[] {
	const { touchpoint: fields, gap } = touchpoint;
	const short = labels.short;
	const flags = [touchpoint.isPeak ? `${PEAK_ICON} ${labels.peak}` : '', touchpoint.isEnd ? `${END_ICON} ${labels.end}` : '']
		.filter(Boolean)
		.join(' · ');
	const facts: [string, string][] = [
		[short.kind, labels.kind[fields.kind]],
		[short.lane, markdownText(touchpoint.lane?.name ?? '')],
		[short.emotion, num(fields.emotion, true)],
		[short.expectation, num(fields.expectation)],
		[short.experience, num(fields.experience)],
		[short.importance, num(fields.importance)],
		[short.ideal, num(fields.ideal)],
		[short.satisfaction, num(gap?.satisfaction, true)],
		[short.weighted, num(gap?.weighted, true)],
		[short.idealGap, num(gap?.idealGap, true)],
		[short.channel, markdownText(fields.channel)],
		[short.owner, markdownText(fields.owner)]
	];
	return [
		`#### ${touchpointName(touchpoint)}${flags ? ` — ${flags}` : ''}`,
		'',
		...(fields.description ? [markdownText(fields.description), ''] : []),
		...(touchpoint.markingIssue ? [`⚠ ${labels.markingIssue[touchpoint.markingIssue]}`, ''] : []),
		facts
			.filter(([, value]) => value !== '')
			.map(([label, value]) => `${label}: **${value}**`)
			.join(' · '),
		'',
		`${labels.report.evidence}:`,
		'',
		...(touchpoint.evidence.length === 0
			? [`- _${labels.noEvidence}_`]
			: touchpoint.evidence.map((item) => evidenceLine(item, labels))),
		''
	];
}

function stagesSection(report: JourneyReport, labels: ExportLabels): string[] {
	const lines = [`## ${labels.report.touchpointsByStage}`, ''];
	if (report.touchpoints.length === 0) return [...lines, labels.report.noTouchpoints, ''];
	// Journey order groups touchpoints by stage already; a run of one stage is one section.
	let currentStage: string | null | undefined;
	let stageNumber = 0;
	for (const touchpoint of report.touchpoints) {
		const stageId = touchpoint.stage?.id ?? null;
		if (stageId !== currentStage) {
			currentStage = stageId;
			stageNumber += 1;
			const name = touchpoint.stage ? markdownText(touchpoint.stage.name) : labels.report.noStage;
			lines.push(`### ${stageNumber}. ${name || '—'}`, '');
		}
		lines.push(...touchpointSection(touchpoint, labels));
	}
	return lines;
}

/**
 * The journey as a Markdown report: title, peak–end (remembered against average, balance and end
 * checks), key experiences (worst weighted gaps first), marking warnings, unsupported peaks,
 * evidence coverage, and every touchpoint by stage with its evidence.
 */
export function journeyMarkdown(journey: Journey, labels: ExportLabels = exportLabels('en')): string {
	const report = journeyReport(journey);
	const lines = [
		`# ${markdownText(journey.title) || '—'}`,
		'',
		labels.report.subtitle(report.touchpoints.length, report.stages.length),
		'',
		...peakEndSection(report, labels),
		...keyExperiencesSection(report, labels),
		...markingsSection(report, labels),
		...unsupportedPeaksSection(report, labels),
		...coverageSection(report, labels),
		...stagesSection(report, labels)
	];
	return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
