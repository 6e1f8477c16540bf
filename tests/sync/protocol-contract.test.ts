/**
 * The wire contract in numbers: the close codes clients act on (the stock WebsocketProvider stops
 * reconnecting on 4400–4499) and the y-websocket message types. The other suites import these
 * constants; this is the one place that says what their numbers must be.
 */
import { describe, expect, test } from 'vitest';
import { CLOSE_CODES } from '../../server/close-codes';
import {
	MESSAGE_AUTH,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP1,
	SYNC_STEP2,
	SYNC_UPDATE
} from '../../server/protocol';

describe('the sync wire contract', () => {
	test('close codes', () => {
		expect(CLOSE_CODES).toEqual({
			goingAway: 1001,
			protocolError: 1002,
			unsupportedData: 1003,
			policyViolation: 1008,
			messageTooBig: 1009,
			internalError: 1011,
			slowConsumer: 4000,
			incompleteFrame: 4001,
			sessionEnded: 4401,
			accessRevoked: 4403,
			boardDeleted: 4404,
			documentTooLarge: 4413,
			documentShape: 4422,
			storageUnavailable: 4503
		});
	});

	test('y-websocket message types and sync steps', () => {
		expect({ MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS }).toEqual({
			MESSAGE_SYNC: 0,
			MESSAGE_AWARENESS: 1,
			MESSAGE_AUTH: 2,
			MESSAGE_QUERY_AWARENESS: 3
		});
		expect({ SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE }).toEqual({ SYNC_STEP1: 0, SYNC_STEP2: 1, SYNC_UPDATE: 2 });
	});
});
