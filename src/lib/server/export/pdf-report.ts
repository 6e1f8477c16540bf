import { evidenceSample, type JourneyReport, type ReportContext } from '../../journey/export/report';
import { formatCount, formatFigure } from '../../journey/figures';
import { COLORS, CONTENT_WIDTH, drawHeading, drawText, ensureSpace, PAGE, type PdfContext } from './pdf-page';

/** Most ranks of the last vote listed in the PDF; the rest are counted. */
export const MAX_VOTE_ROWS = 6;
const VOTE_ROW_HEIGHT = 16;

/** A date and time in the report's language, with its time zone so a reader abroad is not misled. */
export function reportTime(iso: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		hour: 'numeric',
		minute: '2-digit',
		timeZoneName: 'short'
	}).format(new Date(iso));
}

/** The lines under the title: when and from what the report was made, and the evidence behind it. */
export function provenanceLines(context: PdfContext, report: JourneyReport, reportContext: ReportContext | undefined): string[] {
	const { t } = context;
	const lines: string[] = [];
	if (reportContext) {
		const made = t('export.summary.madeFrom', { when: reportTime(reportContext.madeAt, t.locale) });
		const version = reportContext.latestVersion;
		lines.push(
			version ? `${made} · ${t('export.summary.latestVersion', { name: version.name, when: reportTime(version.savedAt, t.locale) })}` : made
		);
	}
	const { largestSample, items } = evidenceSample(report.journey);
	lines.push(
		largestSample === null
			? t('summary.evidenceItems', { items })
			: t('summary.evidenceSample', { sampleText: formatCount(largestSample, t.locale), sample: largestSample, items })
	);
	return lines;
}

/** The last closed dot vote: its date, then the touchpoints by dots with shared ranks marked as ties. */
export function drawLastVote(context: PdfContext, reportContext: ReportContext | undefined, y: number): number {
	const vote = reportContext?.lastVote;
	if (!vote || vote.results.ranking.length === 0) return y;
	const { t, doc } = context;
	const ranking = vote.results.ranking;
	const rows = Math.min(ranking.length, MAX_VOTE_ROWS);
	y = ensureSpace(context, y, 40 + VOTE_ROW_HEIGHT * Math.min(rows, 3));
	y = drawHeading(context, t('export.summary.voting', { when: reportTime(vote.endedAt ?? vote.startedAt, t.locale) }), y);
	y +=
		drawText(context, t('export.summary.votingTotals', { dots: vote.results.dots, voters: vote.results.voters }), PAGE.margin, y, {
			size: 8.5,
			color: COLORS.muted
		}) + 4;
	const most = Math.max(1, ...ranking.map((entry) => entry.dots));
	const titleWidth = CONTENT_WIDTH - 30 - 200 - 50;
	for (const entry of ranking.slice(0, rows)) {
		y = ensureSpace(context, y, VOTE_ROW_HEIGHT);
		const rank = entry.tied ? `=${entry.rank}` : String(entry.rank);
		drawText(context, rank, PAGE.margin, y + 2, { size: 9.5, bold: true, width: 24, align: 'right' });
		const title = entry.tied ? `${entry.title || '—'} (${t('export.summary.tied')})` : entry.title || '—';
		drawText(context, title, PAGE.margin + 34, y + 2, { size: 9.5, width: titleWidth, oneLine: true });
		const barX = PAGE.margin + 34 + titleWidth + 8;
		doc.rect(barX, y + 4, 180, 8).fill(COLORS.band);
		doc.rect(barX, y + 4, (180 * entry.dots) / most, 8).fill(COLORS.ink);
		drawText(context, t('workshop.dots', { count: entry.dots }), barX + 186, y + 2, { size: 9.5, bold: true, width: 50 });
		y += VOTE_ROW_HEIGHT;
	}
	if (ranking.length > rows) {
		y += drawText(context, t('export.summary.more', { count: ranking.length - rows }), PAGE.margin + 34, y + 2, {
			size: 8,
			color: COLORS.muted
		});
	}
	return y + 14;
}

/** The revealed rating rounds, newest first: the card, the segment rated (if one), the date, the figures and what was adopted. */
export function drawRatingRounds(context: PdfContext, reportContext: ReportContext | undefined, y: number): number {
	const rounds = reportContext?.ratingRounds ?? [];
	if (rounds.length === 0) return y;
	const { t } = context;
	y = ensureSpace(context, y, 40);
	y = drawHeading(context, t('summary.ratings'), y);
	for (const round of rounds) {
		const minus = context.fonts.minus;
		const parts = [
			round.segmentName
				? t('workshop.historyRatingSegment', { title: round.title || '—', segment: round.segmentName })
				: t('workshop.historyRating', { title: round.title || '—' }),
			reportTime(round.startedAt, t.locale),
			t('workshop.ratingFigures', {
				mean: formatFigure(round.results.mean, { signed: true, minus }),
				spread: formatFigure(round.results.spread, { minus }),
				count: round.results.count
			})
		];
		if (round.adopted !== null) parts.push(t('workshop.adopted', { value: formatFigure(round.adopted, { signed: true, minus }) }));
		y = ensureSpace(context, y, 14);
		y += drawText(context, parts.join(' · '), PAGE.margin, y, { size: 9 }) + 3;
	}
	return y + 11;
}
