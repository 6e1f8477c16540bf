import { actionsByDepartment } from '../../journey/action-outcomes';
import { isFinishedAction } from '../../journey/actions';
import type { Journey } from '../../journey/schema';
import { COLORS, CONTENT_WIDTH, drawHeading, drawText, ensureSpace, PAGE, type PdfContext } from './pdf-page';

/** Most actions listed in the PDF; the rest are counted. */
export const MAX_ACTION_ROWS = 24;
const ACTION_ROW_HEIGHT = 15;
const DEPARTMENT_GAP = 6;

/**
 * The board's actions by owning department, each with its status and due date, and "done, but
 * customers not told" where so. (Whether its touchpoints improved needs the saved versions: the
 * summary page says it.)
 */
export function drawActions(context: PdfContext, journey: Journey, ranked: readonly string[], y: number): number {
	const groups = actionsByDepartment(journey, ranked, []);
	if (groups.length === 0) return y;
	const { t } = context;
	y = ensureSpace(context, y, 40 + ACTION_ROW_HEIGHT * 3);
	y = drawHeading(context, t('actions.summaryHeading'), y);
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
			y = ensureSpace(context, y, ACTION_ROW_HEIGHT);
			const status = t(`actionStatus.${action.status}`);
			const due = action.due ? t('actions.dueOn', { date: action.due }) : '';
			drawText(context, action.title || t('actions.untitled'), PAGE.margin + 12, y, {
				size: 9,
				width: CONTENT_WIDTH - 12 - 190,
				oneLine: true
			});
			const state = [status, due].filter(Boolean).join(' · ');
			const notTold = isFinishedAction(action) && !action.customersTold;
			drawText(context, notTold ? `${state} · ${t('actions.notTold')}` : state, PAGE.width - PAGE.margin - 185, y, {
				size: 8.5,
				width: 185,
				oneLine: true,
				color: notTold ? COLORS.negative : COLORS.muted
			});
			y += ACTION_ROW_HEIGHT;
		}
		y += DEPARTMENT_GAP;
	}
	if (total > shown)
		y += drawText(context, t('export.summary.more', { count: total - shown }), PAGE.margin + 12, y, { size: 8, color: COLORS.muted });
	return y + 10;
}
