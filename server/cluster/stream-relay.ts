import { closeStreamsHere, publishHere, setStreamRelay, type StreamRelay } from '../../src/lib/server/board-event-streams';
import type { BoardBus } from './board-bus';

/**
 * Board event streams across processes: a comment, a member change, a workshop step or a version
 * saved on one process reaches the streams open on every other, and a sign-out or a removal closes
 * a person's streams wherever they are. Returns the function that stops relaying.
 */
export function relayBoardStreams(bus: BoardBus, here: StreamRelay = { publish: publishHere, closeStreams: closeStreamsHere }): () => void {
	bus.onEvent((event) => {
		if (event.type === 'board-event') here.publish(event.boardId, { type: event.event });
		else if (event.type === 'close-streams') here.closeStreams(event.match);
	});
	setStreamRelay({
		publish: (boardId, event) => bus.publishEvent({ type: 'board-event', boardId, event: event.type }),
		closeStreams: (match) => bus.publishEvent({ type: 'close-streams', match })
	});
	return () => setStreamRelay(null);
}
