import type { BoardComment } from '$lib/collaboration';
import { callApi } from '$lib/api-client';
import type { BoardEventStream } from './board-event-source';

export type { BoardComment };

export interface CommentThread {
	root: BoardComment;
	replies: BoardComment[];
}

/**
 * The board's comments, kept in step live: the server pushes a change notice over the board's
 * event stream and the list is fetched again (also after every reconnect, so nothing is missed).
 */
export class BoardComments {
	comments = $state.raw<BoardComment[]>([]);
	unreadMentions = $state(0);
	error = $state('');
	/**
	 * What the person typed and has not sent, by box (`new`, or the thread id of a reply): kept
	 * while the side panel shows another tab or a reply box is closed.
	 */
	drafts = $state<Record<string, string>>({});
	constructor(
		readonly boardId: string,
		events: BoardEventStream
	) {
		events.on('comments', () => void this.refresh());
	}

	/** Threads, oldest first, each with its replies. */
	get threads(): CommentThread[] {
		const replies = new Map<string, BoardComment[]>();
		for (const comment of this.comments) {
			if (comment.parentId) replies.set(comment.parentId, [...(replies.get(comment.parentId) ?? []), comment]);
		}
		return this.comments.filter((comment) => !comment.parentId).map((root) => ({ root, replies: replies.get(root.id) ?? [] }));
	}

	/** Open threads per touchpoint id. */
	openCounts(): Map<string, number> {
		const counts = new Map<string, number>();
		for (const { root } of this.threads) {
			if (root.touchpointId && !root.resolved) counts.set(root.touchpointId, (counts.get(root.touchpointId) ?? 0) + 1);
		}
		return counts;
	}

	async refresh(): Promise<void> {
		const response = await fetch(`/api/boards/${this.boardId}/comments`);
		if (!response.ok) return;
		const body = await response.json();
		this.comments = body.comments;
		this.unreadMentions = body.unreadMentions;
	}

	add(input: { body: string; touchpointId?: string | null; parentId?: string | null; mentions: string[] }): Promise<boolean> {
		return this.#send('POST', `/api/boards/${this.boardId}/comments`, input);
	}

	edit(id: string, body: string): Promise<boolean> {
		return this.#send('PATCH', `/api/boards/${this.boardId}/comments/${id}`, { body });
	}

	setResolved(id: string, resolved: boolean): Promise<boolean> {
		return this.#send('PATCH', `/api/boards/${this.boardId}/comments/${id}`, { resolved });
	}

	remove(id: string): Promise<boolean> {
		return this.#send('DELETE', `/api/boards/${this.boardId}/comments/${id}`);
	}

	async markRead(): Promise<void> {
		if (this.unreadMentions === 0) return;
		this.unreadMentions = 0;
		await fetch(`/api/boards/${this.boardId}/comments/read`, { method: 'POST' });
	}

	async #send(method: string, url: string, body?: unknown): Promise<boolean> {
		this.error = '';
		const outcome = await callApi(method, url, body);
		if (!outcome.ok) {
			this.error = outcome.error;
			return false;
		}
		await this.refresh();
		return true;
	}
}
