import { describe, expect, it } from 'vitest';
import { templateJourney } from '../../journey/templates';
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
		expect(flat).toContain('Done · Done, but customers not told');
		expect(flat).toContain('No department');
		expect(flat).toContain('Verified');
		expect(flat.indexOf('Branch staff')).toBeLessThan(flat.indexOf('Digital'));
	});
});
