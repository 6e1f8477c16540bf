import { expect, test } from '@playwright/test';
import { closeAll, createBoardViaApi, openBoard, selectCard, signUpViaApi, smallJourney, type Person } from './people';

// Every page carries a Content-Security-Policy: the board works under it (scripts, styles, the
// sync socket) without a single violation, and an evidence image hosted elsewhere is a link, not
// a picture the page loads.

const FOREIGN_IMAGE = 'https://images.example/queue.png';

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

test('the board runs under the policy; a foreign evidence image is a link', async ({ browser }) => {
	const ada = await signUpViaApi(browser, 'csp-ada', 'Ada');
	people = [ada];
	const violations: string[] = [];
	ada.page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	const journey = smallJourney('Policy board', [{ id: 't1', title: 'Queue' }]);
	journey.evidence = [
		{
			id: 'e1',
			touchpointId: 't1',
			type: 'file',
			text: 'Queue photo',
			source: '',
			url: FOREIGN_IMAGE,
			fileId: '',
			value: null,
			unit: '',
			count: null,
			createdBy: '',
			createdAt: ''
		}
	] as never[];
	const boardId = await createBoardViaApi(ada, 'Policy board', { journey });

	const response = await ada.page.request.get(`/boards/${boardId}`);
	const policy = response.headers()['content-security-policy'];
	expect(policy).toContain("img-src 'self' data: blob:");
	expect(policy).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(policy).toMatch(/connect-src 'self' ws:\/\/[^;]+/);

	await openBoard(ada, boardId);
	await selectCard(ada.page, 'Queue');
	const item = ada.page.getByTestId('evidence-panel').locator('[data-testid=evidence-item][data-type=file]');
	await expect(item).toBeVisible();
	await expect(item.getByTestId('evidence-preview')).toHaveCount(0);
	await expect(item.locator(`a[href="${FOREIGN_IMAGE}"]`)).toBeVisible();
	for (const path of [`/boards/${boardId}/summary`, `/boards/${boardId}/versions`, '/boards']) {
		await ada.page.goto(path);
		await ada.page.waitForLoadState('networkidle');
	}
	expect(violations).toEqual([]);
});
