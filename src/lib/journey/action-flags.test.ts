import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { actionFlags, actionFlagText } from './action-flags';
import type { FinishedActionCheck } from './action-outcomes';

const TODAY = '2026-03-10';
const check = (fields: Partial<FinishedActionCheck> = {}): FinishedActionCheck => ({
	actionId: 'a',
	baseline: { name: 'Monday', createdAt: '2026-03-02' },
	improved: false,
	customersTold: false,
	...fields
});

describe('actionFlags', () => {
	it('flags an open action past its due date as overdue, not one due today or done late', () => {
		expect(actionFlags({ status: 'in-progress', due: '2026-03-09', customersTold: false }, null, TODAY)).toEqual([
			{ kind: 'overdue', tone: 'warning' }
		]);
		expect(actionFlags({ status: 'open', due: TODAY, customersTold: false }, null, TODAY)).toEqual([]);
		expect(actionFlags({ status: 'dropped', due: '2026-01-01', customersTold: false }, null, TODAY)).toEqual([]);
		expect(actionFlags({ status: 'planned', customersTold: false }, null, TODAY)).toEqual([]);
	});

	it('says of a done action whether it worked since its baseline, and whether customers were told', () => {
		const done = { status: 'done', due: '2026-01-01', customersTold: false } as const;
		expect(actionFlags(done, check(), TODAY)).toEqual([
			{ kind: 'not-improved', tone: 'warning', version: 'Monday' },
			{ kind: 'not-told', tone: 'warning' }
		]);
		expect(actionFlags({ ...done, status: 'verified', customersTold: true }, check({ improved: true }), TODAY)).toEqual([
			{ kind: 'improved', tone: 'good', version: 'Monday' }
		]);
		expect(actionFlags({ ...done, customersTold: true }, check({ baseline: null, improved: null }), TODAY)).toEqual([
			{ kind: 'no-baseline', tone: 'neutral' }
		]);
		// Nothing to compare (no emotion or satisfaction on its cards in either version): no word on it.
		expect(actionFlags({ ...done, customersTold: true }, check({ improved: null }), TODAY)).toEqual([]);
		// Without a check (a report made without the saved versions) only what the action itself says.
		expect(actionFlags(done, null, TODAY)).toEqual([{ kind: 'not-told', tone: 'warning' }]);
	});

	it('words each flag in English and Chinese', () => {
		const flag = actionFlags({ status: 'done', customersTold: false }, check(), TODAY)[0];
		expect(actionFlagText(flag, translator('en'))).toBe('Done, but its touchpoints did not improve since “Monday”');
		expect(actionFlagText(flag, translator('zh-CN'))).toBe('已完成，但自“Monday”以来其接触点没有改善');
		expect(actionFlagText({ kind: 'overdue', tone: 'warning' }, translator('zh-CN'))).not.toBe('overdue');
	});
});
