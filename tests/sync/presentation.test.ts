import { afterAll, beforeAll, expect, test } from 'vitest';
import { templateJourney } from '../../src/lib/journey/templates';
import { api, cleanup, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

// Presentation mode's shared state (issue 13): an owner presents a stage to everyone following them;
// only a stage of the board, only a facilitator, and leading the view ends it.

let server: TestServer;
let owner: Account;
let editor: Account;
let boardId: string;
let stageIds: string[];

beforeAll(async () => {
	const journey = templateJourney('lifecycle', 'Presenting');
	stageIds = journey.stages.map((stage) => stage.id);
	({
		server,
		owner,
		members: { editor },
		boardId
	} = await setupBoard({
		owner: 'Olivia Owner',
		members: { editor: { role: 'editor', name: 'Eddie Editor' } },
		board: { title: 'Presenting', journey }
	}));
});
afterAll(cleanup);

const facilitate = (account: Account, body: unknown) =>
	api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie, body });
const stateOf = async (account: Account) =>
	(await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie })).body.state;

test('an owner presents a stage to followers; moving, stopping and leading the view end it as documented', async () => {
	expect((await stateOf(editor)).presentStageId).toBeNull();

	const started = await facilitate(owner, { presentStageId: stageIds[0] });
	expect(started.status).toBe(200);
	expect(started.body.state).toMatchObject({ presentStageId: stageIds[0], followUserId: owner.id });
	expect(await stateOf(editor)).toMatchObject({ presentStageId: stageIds[0], followUserId: owner.id });

	expect((await facilitate(owner, { presentStageId: stageIds[1] })).body.state.presentStageId).toBe(stageIds[1]);
	expect((await stateOf(editor)).presentStageId).toBe(stageIds[1]);

	// Ending the presentation keeps leading the view; stopping the lead ends a presentation too.
	expect((await facilitate(owner, { presentStageId: null })).body.state).toMatchObject({ presentStageId: null, followUserId: owner.id });
	await facilitate(owner, { presentStageId: stageIds[2] });
	expect((await facilitate(owner, { follow: false })).body.state).toMatchObject({ presentStageId: null, followUserId: null });
	expect((await facilitate(owner, { follow: true })).body.state.presentStageId).toBeNull();
});

test('only a facilitator presents, and only a stage of the board', async () => {
	const refused = await facilitate(editor, { presentStageId: stageIds[0] });
	expect(refused.status).toBe(403);
	const unknown = await facilitate(owner, { presentStageId: 'no-such-stage' });
	expect(unknown.status).toBe(404);
	expect(unknown.body).toEqual({ error: 'No such stage on this board' });
	expect((await facilitate(owner, { presentStageId: 7 })).status).toBe(400);
	expect((await facilitate(owner, { presentStageId: 'x'.repeat(65) })).status).toBe(400);
	expect((await stateOf(editor)).presentStageId).toBeNull();
});
