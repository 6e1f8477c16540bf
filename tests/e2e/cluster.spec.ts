import { expect, test } from '@playwright/test';
import { startCluster, stopClusterEngines, type Cluster } from '../support/cluster';
import { deployHaproxyConfig } from '../support/deploy-config';
import { freePort, missingEngines, startHaproxy, type Engine } from '../support/engines';
import { runCleanups } from '../support/product-process';
import {
	card,
	createBoardViaApi,
	expectSynced,
	openBoard,
	screenshotAll,
	serverTouchpoints,
	shareViaApi,
	signUpViaApi,
	type Person
} from './people';

// Two product processes on PostgreSQL and Redis behind the shipped deploy/haproxy.cfg: people work
// in their browsers through HAProxy, and keep working while either process is killed.

const missing = missingEngines('postgresql', 'redis', 'haproxy');
/** Starting PostgreSQL, Redis, HAProxy and two processes on a busy machine. */
const START_TIMEOUT_MS = 120_000;
/** A killed process's browsers reconnect through HAProxy, which retries on the other process. */
const RECONNECT_TIMEOUT_MS = 30_000;
const NEW_TOUCHPOINT = 'New touchpoint';

test.skip(missing.length > 0, `needs ${missing.join(', ')} installed`);

let haproxy: Engine | null = null;
let cluster: Cluster;
let baseURL: string;
let people: Person[] = [];

test.beforeAll(async () => {
	test.setTimeout(START_TIMEOUT_MS);
	const ports = [await freePort(), await freePort()];
	haproxy = await startHaproxy((port) => deployHaproxyConfig(port, ports));
	baseURL = `http://localhost:${haproxy.port}`;
	cluster = await startCluster({
		ports,
		env: { ORIGIN: baseURL, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', SIGNUP_MAX_PER_HOUR: '100000' }
	});
	// Both processes answer HAProxy's health checks (round-robin: two answers in a row are both).
	const healthz = `http://127.0.0.1:${haproxy.port}/healthz`;
	await expect.poll(async () => (await fetch(healthz)).status + (await fetch(healthz)).status, { timeout: START_TIMEOUT_MS }).toBe(400);
});

test.afterAll(async () => {
	for (const person of people) await person.context.close();
	await runCleanups();
	await haproxy?.stop();
	await stopClusterEngines();
});

test('owner and editor work through HAProxy on two processes, and go on when either process is killed', async ({ browser }) => {
	test.setTimeout(180_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner', { baseURL });
	const editor = await signUpViaApi(browser, 'editor', 'Eddie Editor', { baseURL });
	people = [owner, editor];
	const boardId = await createBoardViaApi(owner, 'Through HAProxy', 'blank');
	await shareViaApi(owner, boardId, editor, 'editor');
	await openBoard(owner, boardId);
	await openBoard(editor, boardId);

	await test.step('a touchpoint the owner adds appears for the editor', async () => {
		await owner.page.getByTestId('add-touchpoint').click();
		await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await expect(card(editor.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await screenshotAll('cluster-01-through-haproxy', people);
	});

	for (const [index, member] of cluster.processes.entries()) {
		await test.step(`process ${index + 1} is killed: both browsers stay on the board and keep editing together`, async () => {
			await member.kill9();
			await owner.page.getByTestId('add-touchpoint').click();
			await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveCount(index + 2);
			await expect(card(editor.page, NEW_TOUCHPOINT)).toHaveCount(index + 2, { timeout: RECONNECT_TIMEOUT_MS });
			await expectSynced(owner.page);
			await expectSynced(editor.page);
			expect(await serverTouchpoints(editor, boardId)).toHaveLength(index + 2);
			await member.start();
		});
	}

	await test.step('a reload through HAProxy shows the whole board', async () => {
		await owner.page.reload();
		await expectSynced(owner.page);
		await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveCount(3);
		await screenshotAll('cluster-02-after-both-kills', [owner]);
	});
});
