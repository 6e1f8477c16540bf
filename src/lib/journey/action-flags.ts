import type { Translate } from '../i18n';
import type { FinishedActionCheck } from './action-outcomes';
import { isFinishedAction, isOpenAction, isOverdue } from './actions';
import type { Action } from './schema';

/**
 * What a report says of one action beside its status: late, worked or not since the last version
 * from before it was done, customers told or not. `tone` is how it reads: a warning, good news, or
 * neither.
 */
export type ActionFlag =
	| { kind: 'overdue'; tone: 'warning' }
	| { kind: 'no-baseline'; tone: 'neutral' }
	| { kind: 'not-improved'; tone: 'warning'; version: string }
	| { kind: 'improved'; tone: 'good'; version: string }
	| { kind: 'not-told'; tone: 'warning' };

/**
 * The flags of `action` on `today` (an ISO date, UTC), given its finished-action check (null when
 * the action is not finished or no check was made): overdue for an open one past its due date;
 * for a done or verified one, whether its touchpoints improved and whether customers were told.
 */
export function actionFlags(
	action: Pick<Action, 'status' | 'due' | 'customersTold'>,
	check: FinishedActionCheck | null,
	today: string
): ActionFlag[] {
	const flags: ActionFlag[] = [];
	if (isOpenAction(action) && isOverdue(action.due, today)) flags.push({ kind: 'overdue', tone: 'warning' });
	if (!isFinishedAction(action)) return flags;
	if (check) {
		if (check.baseline === null) flags.push({ kind: 'no-baseline', tone: 'neutral' });
		else if (check.improved === false) flags.push({ kind: 'not-improved', tone: 'warning', version: check.baseline.name });
		else if (check.improved === true) flags.push({ kind: 'improved', tone: 'good', version: check.baseline.name });
	}
	if (!action.customersTold) flags.push({ kind: 'not-told', tone: 'warning' });
	return flags;
}

/** A flag in words, in the language of `t`. */
export function actionFlagText(flag: ActionFlag, t: Translate): string {
	switch (flag.kind) {
		case 'overdue':
			return t('actions.overdue');
		case 'no-baseline':
			return t('actions.noBaseline');
		case 'not-improved':
			return t('actions.notImproved', { version: flag.version });
		case 'improved':
			return t('actions.improvedSince', { version: flag.version });
		case 'not-told':
			return t('actions.notTold');
	}
}
