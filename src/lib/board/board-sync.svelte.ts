import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { jitterReconnects, MAX_RECONNECT_BACKOFF_MS } from './reconnect-jitter';
import { backOffOnStorageTrouble } from './storage-backoff';

/** `unsaved`: the server cannot store edits now; they are kept here and sent again later. */
export type ConnectionStatus = 'connecting' | 'synced' | 'offline' | 'unsaved' | 'closed';

/**
 * A board's `Y.Doc`, kept in IndexedDB (so offline edits survive a reload) and synced with
 * the server over the y-websocket protocol. The document is the single source of truth.
 */
export class BoardSync {
	readonly doc = new Y.Doc();
	// A page (re)loaded without a network works from its local copy: it is offline, not connecting.
	status = $state<ConnectionStatus>(navigator.onLine ? 'connecting' : 'offline');
	/** True once local (IndexedDB) or server state has been loaded. */
	loaded = $state(false);
	readonly provider: WebsocketProvider;
	readonly #local: IndexeddbPersistence;
	#everConnected = false;
	/** A connection attempt failed since the page opened. */
	#attemptFailed = false;
	/** This device holds a copy of the board (IndexedDB), so edits made now are kept. */
	#hasLocalCopy = false;
	/** The server could not store edits and has not stayed synced since. */
	#storageTrouble = false;

	constructor(readonly boardId: string) {
		this.#local = new IndexeddbPersistence(`journey-board-${boardId}`, this.doc);
		this.#local.whenSynced.then(() => {
			this.loaded = true;
			this.#hasLocalCopy = this.doc.store.clients.size > 0;
			if (this.status === 'connecting' && this.#cutOff()) this.status = 'offline';
		});
		const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
		this.provider = new WebsocketProvider(`${protocol}//${location.host}/sync`, boardId, this.doc, {
			maxBackoffTime: MAX_RECONNECT_BACKOFF_MS
		});
		jitterReconnects(this.provider, MAX_RECONNECT_BACKOFF_MS);
		backOffOnStorageTrouble(this.provider, (troubled) => {
			this.#storageTrouble = troubled;
			if (this.status === 'closed') return;
			if (troubled) this.status = 'unsaved';
			else if (this.provider.synced) this.status = 'synced';
		});
		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.#everConnected = true;
			if (this.status === 'closed' || this.#storageTrouble) return;
			if (status === 'disconnected') {
				this.#attemptFailed = true;
				this.status = this.#cutOff() ? 'offline' : 'connecting';
			} else if (status === 'connecting' && this.status !== 'offline') this.status = 'connecting';
		});
		this.provider.on('sync', (synced: boolean) => {
			if (synced) {
				if (!this.#storageTrouble) this.status = 'synced';
				this.loaded = true;
			}
		});
		this.provider.on('connection-close', () => {
			this.#attemptFailed = true;
			if (this.#cutOff() && this.status !== 'closed' && !this.#storageTrouble) this.status = 'offline';
		});
		// The server ended this connection for good: signed out, removed from the board, or deleted.
		this.provider.on('closed', () => (this.status = 'closed'));
		// The browser knows before the socket does when the network goes; reconnect when it returns.
		addEventListener('offline', this.#offline);
		addEventListener('online', this.#online);
	}

	/**
	 * A lost connection means offline (edits kept here) once the board was online, while the
	 * browser has no network, or when a page reopened from this device's copy cannot reach the server.
	 */
	#cutOff(): boolean {
		return this.#everConnected || !navigator.onLine || (this.#hasLocalCopy && this.#attemptFailed);
	}

	#offline = () => {
		if (this.status === 'closed') return;
		this.status = 'offline';
		this.provider.disconnect();
	};

	#online = () => {
		if (this.status !== 'closed') this.provider.connect();
	};

	/** The awareness (presence) shared with everyone on the board. */
	get awareness() {
		return this.provider.awareness;
	}

	destroy(): void {
		removeEventListener('offline', this.#offline);
		removeEventListener('online', this.#online);
		this.provider.destroy();
		void this.#local.destroy();
		this.doc.destroy();
	}
}
