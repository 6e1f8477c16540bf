/**
 * HTTP helpers of the uploads and comments suites, composed on `helpers.ts`: multipart uploads,
 * raw downloads, tiny valid evidence files built in memory (no fixtures, no dependencies), and a
 * Server-Sent Events reader over `fetch`.
 */
import { Agent, request as httpRequest } from 'node:http';
import { waitFor, type TestServer } from './helpers';

// ---------------------------------------------------------------------------------------------
// Uploads and downloads

export interface UploadFile {
	bytes: Uint8Array | string;
	/** The name the client claims; the server must not trust it. */
	name: string;
	/** The MIME type the client declares; the server must not trust it either. */
	type?: string;
}

/** A multipart body with the file in the field `field` (default `file`). */
export function formWith(file: UploadFile, field = 'file'): FormData {
	const form = new FormData();
	const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
	form.set(field, new File([bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? '' }));
	return form;
}

export interface RawResponse {
	status: number;
	headers: Headers;
	bytes: Uint8Array;
	/** Parsed JSON body, or null when the body is not JSON. */
	json: any;
}

async function raw(response: Response): Promise<RawResponse> {
	const bytes = new Uint8Array(await response.arrayBuffer());
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		json = null;
	}
	return { status: response.status, headers: response.headers, bytes, json };
}

/** POST /api/boards/:id/files with `body` (a FormData, or anything else sent as it is). */
export async function uploadRaw(
	server: TestServer,
	boardId: string,
	options: { cookie?: string; body: BodyInit; headers?: Record<string, string> }
): Promise<RawResponse> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.cookie) headers.cookie = options.cookie;
	const response = await fetch(`${server.url}/api/boards/${boardId}/files`, {
		method: 'POST',
		headers,
		body: options.body,
		redirect: 'manual',
		// A stream body goes out chunked, without Content-Length.
		...(options.body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);
	return raw(response);
}

/** Uploads one file the way a browser form would. */
export function upload(
	server: TestServer,
	cookie: string | undefined,
	boardId: string,
	file: UploadFile,
	headers: Record<string, string> = {}
): Promise<RawResponse> {
	return uploadRaw(server, boardId, { cookie, body: formWith(file), headers });
}

/** GET of a path with the bytes of the answer. */
export async function download(server: TestServer, cookie: string | undefined, path: string): Promise<RawResponse> {
	const response = await fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
	return raw(response);
}

/**
 * Requests over one keep-alive connection (node:http, one socket), to show that an answer leaves
 * the connection usable for the next request.
 */
export class OneConnection {
	private agent = new Agent({ keepAlive: true, maxSockets: 1 });

	constructor(private server: TestServer) {}

	/** Sends `body` (a FormData is encoded as multipart, with a Content-Length). */
	async send(
		method: string,
		path: string,
		options: { cookie?: string; body?: FormData | Uint8Array; headers?: Record<string, string> } = {}
	): Promise<{ status: number; json: any; reusedSocket: boolean }> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.cookie) headers.cookie = options.cookie;
		let bytes: Uint8Array | undefined;
		if (options.body instanceof FormData) {
			const encoded = new Request('http://localhost/', { method: 'POST', body: options.body });
			headers['content-type'] = encoded.headers.get('content-type')!;
			bytes = new Uint8Array(await encoded.arrayBuffer());
		} else bytes = options.body;
		if (bytes) headers['content-length'] = String(bytes.length);
		return new Promise((resolveResponse, rejectResponse) => {
			const request = httpRequest(this.server.url + path, { method, headers, agent: this.agent }, (response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = null;
					}
					resolveResponse({ status: response.statusCode ?? 0, json, reusedSocket: request.reusedSocket });
				});
				response.on('error', rejectResponse);
			});
			// An early answer may arrive while the body is still being written; a write error after it is moot.
			request.on('error', rejectResponse);
			request.end(bytes ? Buffer.from(bytes) : undefined);
		});
	}

	close(): void {
		this.agent.destroy();
	}
}

// ---------------------------------------------------------------------------------------------
// Tiny valid files

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** A real 1×1 PNG. */
export const TINY_PNG = fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');

/** A real 1×1 GIF. */
export const TINY_GIF = fromBase64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');

/** A minimal one-page PDF. */
export function tinyPdf(): Uint8Array {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>'
	];
	let text = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(text.length);
		text += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = text.length;
	text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
	text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new TextEncoder().encode(text);
}

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive whose entries are stored (method 0, no compression), built by hand. */
export function storedZip(entries: Record<string, string | Uint8Array>): Uint8Array {
	const encoder = new TextEncoder();
	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const nameBytes = encoder.encode(name);
		const data = typeof content === 'string' ? encoder.encode(content) : content;
		const crc = crc32(data);
		const local = new Uint8Array(30 + nameBytes.length + data.length);
		const l = new DataView(local.buffer);
		l.setUint32(0, 0x04034b50, true); // local file header
		l.setUint16(4, 20, true); // version needed
		l.setUint16(6, 0, true); // flags
		l.setUint16(8, 0, true); // stored
		l.setUint16(10, 0, true); // time
		l.setUint16(12, 0x21, true); // date 1980-01-01
		l.setUint32(14, crc, true);
		l.setUint32(18, data.length, true);
		l.setUint32(22, data.length, true);
		l.setUint16(26, nameBytes.length, true);
		l.setUint16(28, 0, true);
		local.set(nameBytes, 30);
		local.set(data, 30 + nameBytes.length);
		const central = new Uint8Array(46 + nameBytes.length);
		const c = new DataView(central.buffer);
		c.setUint32(0, 0x02014b50, true); // central directory header
		c.setUint16(4, 20, true); // version made by
		c.setUint16(6, 20, true); // version needed
		c.setUint16(8, 0, true);
		c.setUint16(10, 0, true);
		c.setUint16(12, 0, true);
		c.setUint16(14, 0x21, true);
		c.setUint32(16, crc, true);
		c.setUint32(20, data.length, true);
		c.setUint32(24, data.length, true);
		c.setUint16(28, nameBytes.length, true);
		c.setUint16(30, 0, true); // extra
		c.setUint16(32, 0, true); // comment
		c.setUint16(34, 0, true); // disk
		c.setUint16(36, 0, true); // internal attributes
		c.setUint32(38, 0, true); // external attributes
		c.setUint32(42, offset, true);
		central.set(nameBytes, 46);
		locals.push(local);
		centrals.push(central);
		offset += local.length;
	}
	const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
	const end = new Uint8Array(22);
	const e = new DataView(end.buffer);
	e.setUint32(0, 0x06054b50, true); // end of central directory
	e.setUint16(8, centrals.length, true);
	e.setUint16(10, centrals.length, true);
	e.setUint32(12, centralSize, true);
	e.setUint32(16, offset, true);
	const parts = [...locals, ...centrals, end];
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

const CONTENT_TYPES = (main: string, type: string) =>
	'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
	'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
	'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
	'<Default Extension="xml" ContentType="application/xml"/>' +
	`<Override PartName="/${main}" ContentType="${type}"/></Types>`;

/** A minimal Word document: [Content_Types].xml and word/document.xml. */
export function tinyDocx(): Uint8Array {
	return storedZip({
		'[Content_Types].xml': CONTENT_TYPES(
			'word/document.xml',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'
		),
		'word/document.xml':
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
			'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
			'<w:body><w:p><w:r><w:t>Interview notes</w:t></w:r></w:p></w:body></w:document>'
	});
}

/** A minimal Excel workbook: [Content_Types].xml and xl/workbook.xml. */
export function tinyXlsx(): Uint8Array {
	return storedZip({
		'[Content_Types].xml': CONTENT_TYPES('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
		'xl/workbook.xml':
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
			'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
	});
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events

export interface EventStream {
	status: number;
	headers: Headers;
	/** Every chunk of text received so far, concatenated. */
	readonly text: string;
	/** The `event:` names of the complete events received so far, in order. */
	events(): string[];
	/** How many complete events named `name` have arrived. */
	count(name: string): number;
	/** True once the server ended the stream (or the connection broke). */
	readonly ended: boolean;
	/** Resolves when the stream has ended. */
	done: Promise<void>;
	/** Closes the stream from this side. */
	close(): void;
}

/** Opens `GET /api/boards/:id/events` with `fetch` and reads it in the background. */
export async function openEvents(server: TestServer, cookie: string | undefined, boardId: string): Promise<EventStream> {
	const abort = new AbortController();
	const response = await fetch(`${server.url}/api/boards/${boardId}/events`, {
		headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}) },
		signal: abort.signal
	});
	let text = '';
	let ended = false;
	const decoder = new TextDecoder();
	const done = (async () => {
		if (!response.body) return;
		const reader = response.body.getReader();
		try {
			for (;;) {
				const { done: finished, value } = await reader.read();
				if (finished) break;
				text += decoder.decode(value, { stream: true });
			}
		} catch {
			// aborted by close(), or the connection broke: the stream has ended either way
		} finally {
			ended = true;
		}
	})();
	const stream: EventStream = {
		status: response.status,
		headers: response.headers,
		get text() {
			return text;
		},
		events() {
			// Only complete blocks (terminated by a blank line) count.
			const blocks = text.replace(/\r\n?/g, '\n').split('\n\n').slice(0, -1);
			return blocks.flatMap((block) =>
				block
					.split('\n')
					.filter((line) => line.startsWith('event:'))
					.map((line) => line.slice('event:'.length).trim())
			);
		},
		count(name) {
			return stream.events().filter((event) => event === name).length;
		},
		get ended() {
			return ended;
		},
		done,
		close() {
			abort.abort();
		}
	};
	cleanupStreams.add(stream);
	return stream;
}

const cleanupStreams = new Set<EventStream>();

/** Closes every stream opened by `openEvents` (call in afterEach/afterAll, before `cleanup`). */
export async function closeAllEvents(): Promise<void> {
	for (const stream of cleanupStreams) stream.close();
	await Promise.all([...cleanupStreams].map((stream) => stream.done));
	cleanupStreams.clear();
}

/** Waits until the server has written the stream's first bytes (the subscription is live by then). */
export async function streamReady(stream: EventStream): Promise<void> {
	await waitFor(() => stream.text.length > 0 || stream.ended, 'the event stream to start');
	if (stream.ended) throw new Error(`the event stream ended at once: ${stream.text}`);
}
