import { describe, expect, it } from 'vitest';
import { templateJourney } from '../../journey/templates';
import type { ReportContext } from '../../journey/export/report';
import type { Action } from '../../journey/schema';
import { pdfText } from '../../../../tests/support/pdf-text';
import { summaryPdf } from './pdf';

const action = (id: string, fields: Partial<Action>): Action => ({
	id,
	title: id,
	description: '',
	touchpointIds: [],
	owner: '',
	status: 'open',
	impact: 3,
	effort: 3,
	customersTold: false,
	createdBy: '',
	createdAt: '',
	...fields
});

describe('the summary PDF of a board with actions', () => {
	it('lists the actions by department with status and due date, and flags done ones customers were not told of', async () => {
		const bank = templateJourney('bank-branch', 'Branch', 'en');
		const text = await pdfText(
			await summaryPdf({
				...bank,
				segments: [],
				actions: [
					action('a1', { title: 'Second counter at lunchtime', owner: 'Branch staff', status: 'planned', due: '2026-03-31' }),
					action('a2', { title: 'Text when the queue is short', owner: 'Digital', status: 'done' }),
					action('a3', { title: 'Call back within a day', status: 'verified', customersTold: true })
				]
			})
		);
		const flat = text.replace(/\s+/g, ' ');
		expect(flat).toContain('Actions by department');
		expect(flat).toContain('Second counter at lunchtime');
		expect(flat).toContain('Planned · due 2026-03-31');
		expect(flat).toContain('Done Done, but customers not told');
		expect(flat).toContain('No department');
		expect(flat).toContain('Verified');
		expect(flat.indexOf('Branch staff')).toBeLessThan(flat.indexOf('Digital'));
	});

	it('flags, as the summary does, done actions whose touchpoints did not improve, and overdue ones, in English and Chinese', async () => {
		const bank = templateJourney('bank-branch', 'Branch', 'en');
		const journey = {
			...bank,
			segments: [],
			actions: [
				action('late', { title: 'Second counter at lunchtime', owner: 'Branch staff', status: 'in-progress', due: '2026-02-01' }),
				action('stuck', { title: 'Text when the queue is short', owner: 'Digital', status: 'done' }),
				action('fixed', { title: 'Call back within a day', status: 'verified', customersTold: true }),
				action('unknown', { title: 'Greeter at the door', owner: 'Digital', status: 'done', customersTold: true })
			]
		};
		const context: ReportContext = {
			madeAt: '2026-03-10T09:00:00.000Z',
			latestVersion: null,
			lastVote: null,
			actionChecks: [
				{ actionId: 'stuck', baseline: { name: 'Before the pilot', createdAt: '2026-02-02' }, improved: false, customersTold: false },
				{ actionId: 'fixed', baseline: { name: 'Before the pilot', createdAt: '2026-02-02' }, improved: true, customersTold: true },
				{ actionId: 'unknown', baseline: null, improved: null, customersTold: true }
			]
		};
		const english = (await pdfText(await summaryPdf(journey, 'en', context))).replace(/\s+/g, ' ');
		expect(english).toContain('In progress · due 2026-02-01 Overdue');
		expect(english).toContain(
			'Text when the queue is short Done Done, but its touchpoints did not improve since “Before the pilot” Done, but customers not told'
		);
		expect(english).toContain('Call back within a day Verified Improved since “Before the pilot”');
		expect(english).toContain('No saved version from before it was done: cannot tell whether it worked');
		const chinese = (await pdfText(await summaryPdf(journey, 'zh-CN', context))).replace(/\s+/g, '');
		expect(chinese).toContain('已完成，但自“Beforethepilot”以来其接触点没有改善');
		expect(chinese).toContain('已完成，但尚未告知客户');
	});
});
