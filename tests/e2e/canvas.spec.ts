import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
	addEvidence,
	card,
	cardTitles,
	closeAll,
	createBoard,
	createBoardViaApi,
	expectSynced,
	fitView,
	keepForOffline,
	laneNames,
	localCopyHas,
	openBoard,
	renameStage,
	revealOnCanvas,
	screenshotAll,
	screenshotElement,
	screenshotPage,
	selectCard,
	serverJourney,
	shareViaApi,
	signUp,
	signUpViaApi,
	smallJourney,
	stageNames,
	SyncLine,
	tinyPng,
	type Journey,
	type Person
} from './people';

// Issue 3: the canvas with two people at once: structure edits that converge, evidence, undo
// that only undoes one's own edits, presence, templates, the Chinese interface, JSON import and
// export, and edits made offline.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** An owner and an editor, both on a fresh board made through the API. */
async function twoOnABoard(browser: Parameters<typeof signUpViaApi>[0], title: string, from: Parameters<typeof createBoardViaApi>[2]) {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Owner');
	const ben = await signUpViaApi(browser, 'ben', 'Ben Editor');
	people = [ada, ben];
	const boardId = await createBoardViaApi(ada, title, from);
	await shareViaApi(ada, boardId, ben, 'editor');
	return { ada, ben, boardId };
}

const inspectorTitle = (page: Page) => page.getByTestId('inspector').getByTestId('touchpoint-title');

/** The journey without item order mattering (collections sorted by id). */
function normalised(journey: Journey): Journey {
	const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
	return {
		...journey,
		stages: byId(journey.stages),
		lanes: byId(journey.lanes),
		touchpoints: byId(journey.touchpoints),
		links: byId(journey.links as { id: string }[]),
		evidence: byId(journey.evidence)
	};
}

test('two people edit stages, lanes and touchpoints at once and converge', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Mortgage journey', 'lifecycle');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	await expect(ada.page.getByTestId('avatar')).toHaveAttribute('data-name', ben.name);

	await test.step('while Ada renames a lane, Ben sees who is renaming it and waits; then Ben renames it', async () => {
		const notes = (person: typeof ada) => person.page.locator('[data-testid=lane-header][data-lane="Notes"] .name');
		await notes(ada).dblclick();
		await expect(ada.page.locator('[data-testid=lane-header] input')).toBeFocused();
		// The soft lock: the name is not editable for Ben while Ada has it open.
		await expect(notes(ben)).toHaveAttribute('aria-disabled', 'true');
		await expect(notes(ben)).toHaveAttribute('title', new RegExp(ada.name));
		await ada.page.locator('[data-testid=lane-header] input').fill('Pain points');
		await ada.page.keyboard.press('Enter');
		const painPoints = ben.page.locator('[data-testid=lane-header][data-lane="Pain points"] .name');
		await expect(painPoints).not.toHaveAttribute('aria-disabled', 'true');
		await painPoints.dblclick();
		await ben.page.locator('[data-testid=lane-header] input').fill('Open questions');
		await ben.page.keyboard.press('Enter');
		await expect(ada.page.locator('[data-testid=lane-header][data-lane="Open questions"]')).toBeVisible();
	});

	await test.step('at the same time: Ada renames a stage and adds a card, Ben adds a lane, a stage and a card', async () => {
		await Promise.all([
			(async () => {
				await renameStage(ada.page, 'Purchase experience', 'Discover and buy');
				await ada.page.getByTestId('add-touchpoint').click();
				await inspectorTitle(ada.page).fill('Comparison website');
			})(),
			(async () => {
				// After the first fit, "+ Add lane" sits under the zoom controls: pan it into the open first.
				await revealOnCanvas(ben.page, ben.page.getByTestId('add-lane'));
				await ben.page.getByTestId('add-lane').click();
				await ben.page.getByTestId('add-touchpoint').click();
				await inspectorTitle(ben.page).fill('Branch appointment');
				await revealOnCanvas(ben.page, ben.page.getByTestId('add-stage'));
				await ben.page.getByTestId('add-stage').click();
			})()
		]);
	});

	await test.step('the server and both canvases agree', async () => {
		const views = async () => [normalised(await serverJourney(ada, boardId)), normalised(await serverJourney(ben, boardId))];
		await expect
			.poll(async () => {
				const [fromAda, fromBen] = await views();
				return (
					JSON.stringify(fromAda) === JSON.stringify(fromBen) &&
					fromAda.touchpoints.length === 2 &&
					fromAda.lanes.length === 6 &&
					fromAda.stages.length === 4
				);
			})
			.toBe(true);
		const [journey] = await views();
		const ordered = <T extends { order: number; name: string }>(items: T[]) =>
			[...items].sort((a, b) => a.order - b.order).map((item) => item.name);
		const stages = ordered(journey.stages);
		const lanes = ordered(journey.lanes);
		expect(stages).toEqual(['Discover and buy', 'Usage experience', 'Service experience', 'New stage']);
		expect(lanes.slice(0, 4)).toEqual(['Customer actions', 'Touchpoints', 'Channels', 'Backstage']);
		expect(lanes[4]).toBe('Open questions');
		expect(lanes[5]).toBe('New lane');
		expect(journey.touchpoints.map((touchpoint) => touchpoint.title).sort()).toEqual(['Branch appointment', 'Comparison website']);

		for (const person of people) {
			await fitView(person.page);
			await expect.poll(() => stageNames(person.page)).toEqual(stages);
			await expect.poll(() => laneNames(person.page)).toEqual(lanes);
			await expect.poll(() => cardTitles(person.page)).toEqual(['Branch appointment', 'Comparison website']);
		}
		await screenshotAll('canvas-01-converged', people);
	});
});

test('evidence: a quote, a metric with its count and an uploaded photo show on the other screen', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Branch visit', {
		journey: smallJourney('Branch visit', [{ id: 'tp-queue', title: 'Queue at the counter', kind: 'negative-peak', emotion: -4 }])
	});
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	await selectCard(ada.page, 'Queue at the counter');
	await selectCard(ben.page, 'Queue at the counter');
	await expect(ben.page.getByTestId('assumption')).toBeVisible();

	await test.step('Ada attaches a quote, a metric and a PNG', async () => {
		await addEvidence(ada.page, { type: 'quote', text: 'I waited forty minutes for a two-minute job.', count: 1, source: 'Interview #3' });
		await addEvidence(ada.page, {
			type: 'metric',
			text: 'Median wait',
			value: 22,
			unit: 'minutes',
			count: 412,
			source: 'Queue system, March'
		});
		await addEvidence(ada.page, {
			type: 'file',
			text: 'Photo of the queue',
			file: { name: 'queue.png', mimeType: 'image/png', buffer: tinyPng(12, 8) }
		});
	});

	await test.step('Ben sees all three, with the count and the photo preview', async () => {
		const panel = ben.page.getByTestId('evidence-panel');
		await expect(panel.getByTestId('evidence-item')).toHaveCount(3);
		await expect(ben.page.getByTestId('assumption')).toHaveCount(0);
		await expect(panel.locator('[data-testid=evidence-item][data-type=quote]')).toContainText(
			'I waited forty minutes for a two-minute job.'
		);
		const metric = panel.locator('[data-testid=evidence-item][data-type=metric]');
		await expect(metric).toContainText('22 minutes');
		await expect(metric).toContainText('n = 412 customers');
		await expect(metric).toContainText('Queue system, March');
		const preview = panel.locator('[data-testid=evidence-item][data-type=file]').getByTestId('evidence-preview');
		await expect(preview).toBeVisible();
		// Loaded and decoded: the browser knows the picture's real size.
		await expect
			.poll(() =>
				preview.evaluate((image: HTMLImageElement) => (image.complete ? `${image.naturalWidth}x${image.naturalHeight}` : 'loading'))
			)
			.toBe('12x8');
		await expect(card(ben.page, 'Queue at the counter').getByTestId('evidence-count')).toHaveText('3');
		await screenshotAll('canvas-02-evidence', people);
		await screenshotElement(panel, 'canvas-02-evidence-panel-ben');
	});

	await test.step('the server has them with their counts and the stored file', async () => {
		const { evidence } = await serverJourney(ben, boardId);
		expect(evidence.map((item) => [item.type, item.count]).sort()).toEqual([
			['file', null],
			['metric', 412],
			['quote', 1]
		]);
		const file = evidence.find((item) => item.type === 'file')!;
		expect(file.fileId).not.toBe('');
		const response = await ben.page.request.get(file.url);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('image/png');
		expect(Buffer.compare(await response.body(), tinyPng(12, 8))).toBe(0);
	});
});

test('undo takes back only one’s own edit, never the other person’s', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Undo', {
		journey: smallJourney('Undo', [
			{ id: 'tp-x', title: 'Ticket machine' },
			{ id: 'tp-y', title: 'Counter' }
		])
	});
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);

	await selectCard(ada.page, 'Ticket machine');
	await inspectorTitle(ada.page).fill('Ticket kiosk');
	await expect(card(ben.page, 'Ticket kiosk')).toHaveCount(1);

	await selectCard(ben.page, 'Counter');
	await ben.page.getByTestId('inspector').locator('input[type=radio][value="negative-peak"]').check();
	await expect(card(ada.page, 'Counter')).toHaveAttribute('data-kind', 'negative-peak');
	await expect(ada.page.getByTestId('undo')).toBeEnabled();

	// Ctrl+Z on the board (not inside a text field, where it is the field's own undo).
	await ada.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await ada.page.keyboard.press('Control+z');

	for (const person of people) {
		await expect(card(person.page, 'Ticket machine')).toHaveCount(1);
		await expect(card(person.page, 'Ticket kiosk')).toHaveCount(0);
		await expect(card(person.page, 'Counter')).toHaveAttribute('data-kind', 'negative-peak');
	}
	await expect
		.poll(async () => (await serverJourney(ben, boardId)).touchpoints.map((t) => `${t.title}:${t.kind}`).sort())
		.toEqual(['Counter:negative-peak', 'Ticket machine:neutral']);
	// Ada has nothing else of hers to undo; Ben's kind change is not on her stack.
	await expect(ada.page.getByTestId('undo')).toBeDisabled();
	await screenshotAll('canvas-03-undo', people);

	await ada.page.keyboard.press('Control+Shift+Z');
	await expect(card(ben.page, 'Ticket kiosk')).toHaveAttribute('data-kind', 'neutral');
	await expect(card(ben.page, 'Counter')).toHaveAttribute('data-kind', 'negative-peak');
});

test('each person sees the other’s cursor and avatar, gone soon after they leave', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Presence', 'lifecycle');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);

	await expect(ada.page.locator(`[data-testid=avatar][data-name="${ben.name}"]`)).toBeVisible();
	await expect(ben.page.locator(`[data-testid=avatar][data-name="${ada.name}"]`)).toBeVisible();

	const pane = await ben.page.locator('.svelte-flow__pane').boundingBox();
	if (!pane) throw new Error('no canvas pane');
	await ben.page.mouse.move(pane.x + pane.width * 0.3, pane.y + pane.height * 0.4);
	await ben.page.mouse.move(pane.x + pane.width * 0.45, pane.y + pane.height * 0.5, { steps: 8 });
	const cursor = ada.page.locator(`[data-testid=remote-cursor][data-name="${ben.name}"]`);
	await expect(cursor).toBeVisible();
	await expect(cursor).toContainText(ben.name);
	await screenshotAll('canvas-04-presence', people);

	await ben.page.close();
	// "Within a few seconds": the avatar and cursor go when the socket closes, not after
	// the 30-second awareness timeout.
	await expect(cursor).toHaveCount(0, { timeout: 5_000 });
	await expect(ada.page.getByTestId('avatar')).toHaveCount(0, { timeout: 5_000 });
});

test('boards from each template: blank, lifecycle and the bank branch', async ({ browser }) => {
	const ada = await signUp(browser, 'ada', 'Ada Owner');
	people = [ada];
	const { page } = ada;

	await test.step('blank: one stage, one lane, no cards', async () => {
		const id = await createBoard(ada, 'Blank board', 'blank');
		await expectSynced(page);
		await expect.poll(() => stageNames(page)).toEqual(['Stage 1']);
		await expect.poll(() => laneNames(page)).toEqual(['Touchpoints']);
		await expect(page.getByTestId('touchpoint')).toHaveCount(0);
		await expect(page.getByTestId('emotion-point')).toHaveCount(0);
		const journey = await serverJourney(ada, id);
		expect([journey.stages.length, journey.lanes.length, journey.touchpoints.length]).toEqual([1, 1, 0]);
	});

	await test.step('lifecycle: purchase → usage → service, five lanes', async () => {
		await page.goto('/boards');
		await createBoard(ada, 'Lifecycle board', 'lifecycle');
		await expectSynced(page);
		await expect.poll(() => stageNames(page)).toEqual(['Purchase experience', 'Usage experience', 'Service experience']);
		await expect.poll(() => laneNames(page)).toEqual(['Customer actions', 'Touchpoints', 'Channels', 'Backstage', 'Notes']);
		await expect(page.getByTestId('touchpoint')).toHaveCount(0);
	});

	await test.step('bank branch: 15 touchpoints in 5 stages, with the emotion curve and its peak and end', async () => {
		await page.goto('/boards');
		const id = await createBoard(ada, 'Bank branch', 'bank-branch');
		await expectSynced(page);
		const journey = await serverJourney(ada, id);
		expect(journey.touchpoints).toHaveLength(15);
		expect(journey.stages).toHaveLength(5);
		await expect(page.getByTestId('stage-header')).toHaveCount(5);
		await expect.poll(() => stageNames(page)).toEqual(['Before the visit', 'Arrival', 'Waiting', 'Service', 'Leaving']);
		// A wide board opens at a readable zoom on its first stages; F shows all of it.
		await fitView(page);
		await expect(page.getByTestId('touchpoint')).toHaveCount(15);
		await expect(page.getByTestId('emotion-curve')).toBeVisible();
		await expect(page.getByTestId('emotion-point')).toHaveCount(15);
		await expect(page.getByTestId('peak-marker')).toHaveCount(1);
		await expect(page.getByTestId('end-marker')).toHaveCount(1);
		// Peak: the largest |emotion| (Welcome +4 ties Queueing −4; the earlier wins). End: Farewell.
		await expect(card(page, 'Welcome').getByTestId('peak-flag')).toBeVisible();
		await expect(card(page, 'Farewell').getByTestId('end-flag')).toBeVisible();
		await expect(page.getByTestId('peak-flag')).toHaveCount(1);
		await expect(page.getByTestId('end-flag')).toHaveCount(1);
		await expect(page.getByTestId('remembered')).toContainText('+3.5');
		await expect(page.getByTestId('average')).toContainText('+0.6');
		await screenshotPage(page, 'canvas-05-bank-branch-template');
	});
});

test('the interface in Chinese, and a language switch that is remembered', async ({ browser }) => {
	const li = await signUp(browser, 'li', '李雷', { locale: 'zh-CN' });
	people = [li];
	const { page } = li;
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的看板');
	const boardId = await createBoardViaApi(li, '网点到访', 'bank-branch');
	await openBoard(li, boardId);

	await test.step('the board speaks Chinese', async () => {
		await expect(page.getByTestId('language')).toHaveValue('zh-CN');
		await expect(page.getByTestId('add-touchpoint')).toHaveText('+ 添加接触点');
		await expect(page.getByText('阶段 →')).toBeVisible();
		await expect(page.getByTestId('emotion-curve')).toContainText('情绪曲线');
		await expect(page.getByTestId('add-stage')).toHaveText('+ 添加阶段');
		await expect(page.getByTestId('add-lane')).toHaveText('+ 添加泳道');
		await expect(page.getByTestId('tab-analysis')).toContainText('分析');
		// The board opens readable on its first stages: fit it to see every card.
		await fitView(page);
		await expect(card(page, 'Queueing and waiting')).toContainText('负面关键时刻');
		await expect(card(page, 'Location')).toContainText('中性接触点');
		await expect(page.getByTestId('analysis-panel')).toContainText('峰终定律');
		await screenshotPage(page, 'canvas-06-chinese-board');
		// Close up: the key experience link selects and centres its card.
		await page.getByTestId('key-experience').first().getByRole('button', { name: 'Queueing and waiting', exact: true }).click();
		await expect(page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue('Queueing and waiting');
		await expect(page.getByTestId('inspector')).toContainText('情绪');
		await screenshotPage(page, 'canvas-06-chinese-card');
	});

	await test.step('switching to English changes the interface at once and survives a reload', async () => {
		await page.getByTestId('language').selectOption('en');
		await expect(page.getByTestId('add-touchpoint')).toHaveText('+ Add touchpoint');
		await expect(page.getByTestId('emotion-curve')).toContainText('Emotion curve');
		await expect(card(page, 'Queueing and waiting')).toContainText('Negative peak');
		await page.reload();
		await expectSynced(page);
		await expect(page.getByTestId('language')).toHaveValue('en');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByTestId('add-touchpoint')).toHaveText('+ Add touchpoint');
		await expect(page.getByTestId('emotion-curve')).toContainText('Emotion curve');
	});

	await test.step('and back to Chinese, also remembered', async () => {
		await page.getByTestId('language').selectOption('zh-CN');
		await expect(page.getByTestId('add-touchpoint')).toHaveText('+ 添加接触点');
		await page.goto('/boards');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的看板');
	});
});

test('importing an invalid file shows a message and changes nothing', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Import guard', 'bank-branch');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	const before = await serverJourney(ada, boardId);
	let dialogs = 0;
	ada.page.on('dialog', (dialog) => {
		dialogs++;
		void dialog.dismiss();
	});
	const message = ada.page.getByTestId('import-message');

	await ada.page.getByTestId('board-menu').locator('summary').click();
	await expect(ada.page.getByTestId('import-json')).toBeVisible();
	await ada.page
		.getByTestId('import-file')
		.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "journey-map/v1", "title": ') });
	await expect(message).toHaveAttribute('role', 'alert');
	await expect(message).toContainText('This file is not JSON. Nothing was changed.');
	await screenshotPage(ada.page, 'canvas-07-import-not-json');

	const wrongShape = {
		format: 'journey-map/v1',
		title: 'Wrong',
		stages: [{ id: 's1', name: 'Only stage', order: 1 }],
		lanes: [],
		touchpoints: [{ id: 't1', title: 'Orphan', stageId: 'nowhere', laneId: 'nowhere', kind: 'neutral', emotion: 9 }]
	};
	await ada.page
		.getByTestId('import-file')
		.setInputFiles({ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrongShape)) });
	await expect(message).toContainText('This file is not valid journey JSON');
	await expect(message).toContainText('Nothing was changed.');
	await screenshotPage(ada.page, 'canvas-08-import-invalid');

	// Nothing was asked, nothing changed: on the server, on Ada's canvas and on Ben's.
	expect(dialogs).toBe(0);
	// Barrier: an edit after the attempts reaches Ben, so anything the import could have sent has arrived.
	await ada.page.getByTestId('board-menu').locator('summary').click();
	await selectCard(ada.page, 'Farewell');
	await inspectorTitle(ada.page).fill('Farewell at the door');
	await fitView(ben.page);
	await expect(card(ben.page, 'Farewell at the door')).toHaveCount(1);
	const after = await serverJourney(ada, boardId);
	expect(after).toEqual({
		...before,
		touchpoints: before.touchpoints.map((touchpoint) =>
			touchpoint.title === 'Farewell' ? { ...touchpoint, title: 'Farewell at the door' } : touchpoint
		)
	});
	await fitView(ben.page);
	await expect(ben.page.getByTestId('touchpoint')).toHaveCount(15);
	await expect(ada.page.getByTestId('undo')).toBeEnabled();
});

test('export JSON downloads a file that imports back into an equal journey', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Branch visit', 'bank-branch');
	await openBoard(ada, boardId);
	// Make the board someone's own work first: a renamed stage, a card moved into it, evidence.
	await renameStage(ada.page, 'Leaving', 'Leaving the branch');
	await selectCard(ada.page, 'Farewell');
	await addEvidence(ada.page, { type: 'observation', text: 'Staff walk gold-card customers to the door', count: 6, source: 'Shadowing' });
	const original = await serverJourney(ada, boardId);
	expect(original.stages.find((stage) => stage.name === 'Leaving the branch')).toBeTruthy();
	expect(original.evidence).toHaveLength(5);

	const exported = await test.step('Ada exports it', async () => {
		await ada.page.getByTestId('board-menu').locator('summary').click();
		const [download] = await Promise.all([ada.page.waitForEvent('download'), ada.page.getByTestId('export-json').click()]);
		expect(download.suggestedFilename()).toBe('Branch visit.journey.json');
		const path = await download.path();
		const json = JSON.parse(readFileSync(path, 'utf8')) as Journey;
		expect(json.format).toBe('journey-map/v1');
		expect(normalised(json)).toEqual(normalised(original));
		return { path, json };
	});

	await test.step('Ben imports the file into a blank board of his and gets the same journey', async () => {
		const copyId = await createBoardViaApi(ben, 'Copy', 'blank');
		await openBoard(ben, copyId);
		let confirmText = '';
		ben.page.once('dialog', (dialog) => {
			confirmText = dialog.message();
			void dialog.accept();
		});
		await ben.page.getByTestId('board-menu').locator('summary').click();
		await ben.page.getByTestId('import-file').setInputFiles(exported.path);
		await expect(ben.page.getByTestId('import-message')).toContainText('Imported 15 touchpoints.');
		expect(confirmText).toContain('Branch visit');
		await fitView(ben.page);
		await expect(ben.page.getByTestId('touchpoint')).toHaveCount(15);
		await expect.poll(async () => normalised(await serverJourney(ben, copyId))).toEqual(normalised(original));
		await screenshotPage(ben.page, 'canvas-09-reimported');
	});
});

test('an edit made offline survives a reload while offline and reaches the other person', async ({ browser }) => {
	const { ada, ben, boardId } = await twoOnABoard(browser, 'Offline', {
		journey: smallJourney('Offline', [
			{ id: 'tp-x', title: 'Ticket machine' },
			{ id: 'tp-y', title: 'Counter' }
		])
	});
	const line = await SyncLine.attach(ada);
	await openBoard(ada, boardId);
	await keepForOffline(ada.page);
	await openBoard(ben, boardId);
	const status = ada.page.getByTestId('connection-status');
	const serverTitles = async () => (await serverJourney(ben, boardId)).touchpoints.map((touchpoint) => touchpoint.title).sort();

	await test.step('Ada goes offline and edits; Ben edits meanwhile', async () => {
		await line.cut({ network: true });
		await expect(status).toHaveAttribute('data-status', 'offline');
		await selectCard(ada.page, 'Ticket machine');
		await inspectorTitle(ada.page).fill('Ticket machine (edited offline)');
		await selectCard(ben.page, 'Counter');
		await inspectorTitle(ben.page).fill('Counter (edited online)');
		// Kept locally in IndexedDB; not on the server, not with Ben; Ben's edit not with Ada.
		await expect.poll(() => localCopyHas(ada.page, boardId, 'Ticket machine (edited offline)')).toBe(true);
		await expect(card(ada.page, 'Counter')).toHaveCount(1);
		expect(await serverTitles()).toEqual(['Counter (edited online)', 'Ticket machine']);
		await screenshotAll('canvas-10-offline', people);
	});

	await test.step('a reload while still offline shows the page (service worker) and the edit (IndexedDB)', async () => {
		await ada.page.reload();
		await expect(card(ada.page, 'Ticket machine (edited offline)')).toHaveCount(1);
		await expect(card(ada.page, 'Counter')).toHaveCount(1);
		await expect(status).not.toHaveAttribute('data-status', 'synced');
		expect(await serverTitles()).toEqual(['Counter (edited online)', 'Ticket machine']);
		await screenshotAll('canvas-11-reloaded-offline', [ada]);
	});

	await test.step('back online, both edits merge for both people and the server', async () => {
		await line.restore();
		await expectSynced(ada.page);
		for (const person of people) {
			await expect(card(person.page, 'Ticket machine (edited offline)')).toHaveCount(1);
			await expect(card(person.page, 'Counter (edited online)')).toHaveCount(1);
		}
		await expect.poll(serverTitles).toEqual(['Counter (edited online)', 'Ticket machine (edited offline)']);
		await screenshotAll('canvas-12-back-online', people);
	});
});
