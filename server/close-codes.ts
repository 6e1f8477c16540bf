/** WebSocket close codes the sync server uses. */
export const CLOSE_CODES = {
	/** Server shutting down. */
	goingAway: 1001,
	/** A frame that is not a valid y-websocket message. */
	protocolError: 1002,
	/** A text frame or an unknown message type. */
	unsupportedData: 1003,
	/** A well-formed frame the server's limits do not allow (e.g. too many sync requests). */
	policyViolation: 1008,
	/** A frame over the size limit (set by `ws` itself). */
	messageTooBig: 1009,
	/** Storage failed; the client reconnects and resyncs. */
	internalError: 1011,
	/** The client did not read its messages fast enough. */
	slowConsumer: 4000,
	/** A frame took too long to arrive, or unfinished frames took too much of the server's memory. */
	incompleteFrame: 4001,
	// 4400–4499 mirror HTTP 4xx: the stock WebsocketProvider stops reconnecting on them.
	/** The session was logged out or expired. */
	sessionEnded: 4401,
	/** The member was removed from the board. */
	accessRevoked: 4403,
	/** The board was deleted. */
	boardDeleted: 4404,
	/** An update would grow the board's document past `BOARD_MAX_DOC_MB`; resending it cannot succeed. */
	documentTooLarge: 4413,
	/** An update would put into the board what the journey document's shape does not allow; resending it cannot succeed. */
	documentShape: 4422,
	// Outside 4400–4499, so the stock provider keeps reconnecting (the board client backs off).
	/** The server cannot store edits now (disk full, database failing); the client keeps them and resends later. */
	storageUnavailable: 4503
} as const;
