import { actionFlags, actionFlagText, type ActionFlag } from '../../journey/action-flags';
import { actionsByDepartment } from '../../journey/action-outcomes';
import type { ReportContext } from '../../journey/export/report';
import type { Journey } from '../../journey/schema';
import { COLORS, CONTENT_WIDTH, drawHeading, drawText, ensureSpace, PAGE, type PdfContext } from './pdf-page';

/** Most actions listed in the PDF; the rest are counted. */
export const MAX_ACTION_ROWS = 24;
const ACTION_ROW_HEIGHT = 15;
const FLAG_LINE_HEIGHT = 11;
const DEPARTMENT_GAP = 6;
/** Width of the status and due date column at the right of each row. */
const STATE_WIDTH = 150;
const INDENT = 12;

const FLAG_COLOR: Record<ActionFlag['tone'], string> = { warning: COLORS.negative, good: COLORS.positive, neutral: COLORS.muted };

/**
 * The board's actions by owning department, each with its status and due date, and under it the
 * summary's flags (`actionFlags`): overdue, done but its touchpoints did not improve since the last
 * version from before (when `reportContext` carries the checks), done but customers not told.
 */
export function drawActions(
	context: PdfContext,
	journey: Journey,
	ranked: readonly string[],
	reportContext: ReportContext | undefined,
	y: number
): number {
	const groups = actionsByDepartment(journey, ranked, reportContext?.actionChecks ?? []);
	if (groups.length === 0) return y;
	const { t } = context;
	// Overdue is judged on the day the report was made, as the summary judges it on the day it is read.
	const today = (reportContext?.madeAt ?? new Date().toISOString()).slice(0, 10);
	y = ensureSpace(context, y, 40 + ACTION_ROW_HEIGHT * 3);
	y = drawHeading(context, t('actions.summaryHeading'), y);
	y += drawText(context, t('actions.summaryExplain'), PAGE.margin, y, { size: 8.5, color: COLORS.muted }) + 6;
	let shown = 0;
	const total = groups.reduce((sum, group) => sum + group.actions.length, 0);
	for (const group of groups) {
		if (shown >= MAX_ACTION_ROWS) break;
		y = ensureSpace(context, y, ACTION_ROW_HEIGHT * 2);
		y +=
			drawText(context, group.department || t('actions.noDepartment'), PAGE.margin, y, { size: 9.5, bold: true, width: CONTENT_WIDTH }) + 2;
		for (const action of group.actions) {
			if (shown >= MAX_ACTION_ROWS) break;
			shown++;
			const flags = actionFlags(action, action.check, today);
			y = ensureSpace(context, y, ACTION_ROW_HEIGHT + FLAG_LINE_HEIGHT * flags.length);
			drawText(context, action.title || t('actions.untitled'), PAGE.margin + INDENT, y, {
				size: 9,
				width: CONTENT_WIDTH - INDENT - STATE_WIDTH - 10,
				oneLine: true
			});
			const state = [t(`actionStatus.${action.status}`), action.due ? t('actions.dueOn', { date: action.due }) : '']
				.filter(Boolean)
				.join(' · ');
			drawText(context, state, PAGE.width - PAGE.margin - STATE_WIDTH, y, {
				size: 8.5,
				width: STATE_WIDTH,
				oneLine: true,
				color: COLORS.muted
			});
			y += ACTION_ROW_HEIGHT - 2;
			for (const flag of flags) {
				const text = actionFlagText(flag, t);
				// A line of its own starts with a capital ("Overdue"), where the summary's pill reads "overdue".
				drawText(context, text.charAt(0).toUpperCase() + text.slice(1), PAGE.margin + INDENT * 2, y, {
					size: 8,
					width: CONTENT_WIDTH - INDENT * 2,
					oneLine: true,
					color: FLAG_COLOR[flag.tone]
				});
				y += FLAG_LINE_HEIGHT;
			}
			y += flags.length > 0 ? 3 : 2;
		}
		y += DEPARTMENT_GAP;
	}
	if (total > shown)
		y += drawText(context, t('export.summary.more', { count: total - shown }), PAGE.margin + INDENT, y, { size: 8, color: COLORS.muted });
	return y + 10;
}
