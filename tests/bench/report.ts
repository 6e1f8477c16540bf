/** The figures' table (with ratios to the reference and the targets) and RESULTS.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PERSISTENT_PEERS, SERVER_LABELS, type ServerKind } from './servers';

export type Figures = Partial<Record<string, number>>;

interface Target {
	op: '<=' | '>=';
	value: number;
	/** Relative to the reference's figure. */
	relativeToReference?: boolean;
	/** Relative to the persistent peers' figures: at or under (at or over) every one of them. */
	relativeToPersistentPeers?: boolean;
}

interface FigureSpec {
	key: string;
	label: string;
	unit: string;
	digits: number;
	/** Targets for the product: absolute, or relative to the reference's or the persistent peers' figures. */
	target?: Target | Target[];
}

/** Fan-out p99 at or under the persistent peers' in the same run. */
const AT_OR_UNDER_PERSISTENT_PEERS: Target = { op: '<=', value: 1, relativeToPersistentPeers: true };

/** Every figure the suite reports, in table order. */
export const FIGURES: FigureSpec[] = [
	{ key: 'fanout.1x50x60.p50', label: 'fan-out 1 room × 50 clients × 60 writes/s, p50', unit: 'ms', digits: 2 },
	{
		key: 'fanout.1x50x60.p99',
		label: 'fan-out 1 × 50 × 60, p99',
		unit: 'ms',
		digits: 2,
		target: [{ op: '<=', value: 3 }, AT_OR_UNDER_PERSISTENT_PEERS]
	},
	{ key: 'fanout.1x500x100.p50', label: 'fan-out 1 × 500 × 100, p50', unit: 'ms', digits: 2 },
	{
		key: 'fanout.1x500x100.p99',
		label: 'fan-out 1 × 500 × 100, p99',
		unit: 'ms',
		digits: 2,
		target: [{ op: '<=', value: 10 }, AT_OR_UNDER_PERSISTENT_PEERS]
	},
	{ key: 'fanout.20x10x60.p50', label: 'fan-out 20 rooms × 10 × 60, p50', unit: 'ms', digits: 2 },
	{ key: 'fanout.20x10x60.p99', label: 'fan-out 20 × 10 × 60, p99', unit: 'ms', digits: 2, target: AT_OR_UNDER_PERSISTENT_PEERS },
	{
		key: 'saturation',
		label: 'saturation: deliveries/s before p99 > 50 ms',
		unit: '/s',
		digits: 0,
		target: { op: '>=', value: 1.5, relativeToReference: true }
	},
	{
		key: 'memory.idleConnectionKB',
		label: 'memory per idle connection (RSS after full GC)',
		unit: 'KB',
		digits: 1,
		target: { op: '<=', value: 15 }
	},
	{
		key: 'memory.boardMB',
		label: 'memory per loaded 200-touchpoint board (RSS after full GC)',
		unit: 'MB',
		digits: 3,
		target: { op: '<=', value: 0.15 }
	},
	{
		key: 'persistence.updatesPerSec',
		label: 'sustained updates/s (product: each in SQLite before relay)',
		unit: '/s',
		digits: 0,
		target: { op: '>=', value: 20_000 }
	},
	{ key: 'persistence.bytesPerUpdate', label: 'bytes written to storage per update', unit: 'B', digits: 0 },
	{
		key: 'storage.compactLiveMs',
		label: 'compaction of a 20,000-update log, live room (snapshot + one transaction)',
		unit: 'ms',
		digits: 1,
		target: { op: '<=', value: 100 }
	},
	{
		key: 'storage.compactMs',
		label: 'compaction of a 20,000-update log from storage (apply into a Y.Doc + fold)',
		unit: 'ms',
		digits: 1,
		target: { op: '<=', value: 100 }
	},
	{ key: 'commit.fullIdleP99', label: 'commit of one write, synced to disk as shipped, idle machine, p99', unit: 'ms', digits: 2 },
	{ key: 'commit.fullBusyP99', label: 'the same with every core busy, p99', unit: 'ms', digits: 2 },
	{ key: 'commit.normalBusyP99', label: 'the same not synced (`NORMAL`, for comparison), every core busy, p99', unit: 'ms', digits: 2 },
	{
		key: 'load.coldMs',
		label: 'cold load, 1,000 touchpoints after 100,000 moves',
		unit: 'ms',
		digits: 1,
		target: { op: '<=', value: 150 }
	},
	{ key: 'load.sync10MBMs', label: 'initial sync of a 10 MB document', unit: 'ms', digits: 0, target: { op: '<=', value: 2_000 } },
	{ key: 'browser.shownMs', label: 'browser: 1,000-touchpoint board shown', unit: 'ms', digits: 0, target: { op: '<=', value: 1_500 } },
	{ key: 'browser.dragFps', label: 'browser: dragging a card', unit: 'fps', digits: 1, target: { op: '>=', value: 50 } },
	{ key: 'browser.dragFrameMs', label: 'browser: frame time while dragging', unit: 'ms', digits: 1 },
	{ key: 'browser.remoteFps', label: 'browser: 60 remote updates/s arriving', unit: 'fps', digits: 1 },
	{ key: 'browser.remoteFrameMs', label: 'browser: frame time with 60 remote updates/s', unit: 'ms', digits: 1 },
	{ key: 'presence.idleP99', label: 'presence: edit relay p99 on a board, idle', unit: 'ms', digits: 2 },
	{ key: 'presence.crowdP99', label: 'presence: edit relay p99 while 300 sockets send presence at 30/s elsewhere', unit: 'ms', digits: 2 },
	{
		key: 'presence.p99Ratio',
		label: 'presence: edit relay p99 under the crowd ÷ idle',
		unit: '×',
		digits: 2,
		target: { op: '<=', value: 2 }
	},
	{ key: 'presence.healthP50', label: 'presence: /healthz p50 under the crowd', unit: 'ms', digits: 1 },
	{ key: 'presence.healthMax', label: 'presence: /healthz max under the crowd', unit: 'ms', digits: 1 },
	{ key: 'reads.idleP99', label: 'reads: edit relay p99 on a board, idle', unit: 'ms', digits: 2 },
	{
		key: 'reads.readingP99',
		label: 'reads: edit relay p99 while a viewer loops reads and exports of a 2,000-card board',
		unit: 'ms',
		digits: 2
	},
	{ key: 'reads.p99Ratio', label: 'reads: edit relay p99 while reading ÷ idle', unit: '×', digits: 2, target: { op: '<=', value: 2 } },
	{ key: 'reads.served', label: "reads: the viewer's reads served (three rounds)", unit: 'reads', digits: 0 },
	{ key: 'reads.refused', label: "reads: the viewer's reads refused (429 past their share, 503 queue full)", unit: 'reads', digits: 0 },
	{ key: 'budgets.nonReadersPeakMB', label: '20 non-reading sockets × 10 asks for a 12 MB board: RSS growth, peak', unit: 'MB', digits: 1 },
	{ key: 'budgets.nonReadersHeldMB', label: '20 non-reading sockets × 10 asks: RSS growth, settled', unit: 'MB', digits: 1 },
	...scaleFigures('postgres', 'PostgreSQL + Redis'),
	...scaleFigures('sqlite', 'one shared SQLite file, a harness check')
];

/** The scale rows (scale-bench.ts) for one store: 1 process against 2, each under the same CPU quota. */
function scaleFigures(store: string, name: string): FigureSpec[] {
	const rows: FigureSpec[] = [];
	for (const count of [1, 2, 3]) {
		const processes = `${count} process${count > 1 ? 'es' : ''}`;
		rows.push(
			{ key: `scale.${store}.${count}.clients`, label: `scale (${name}): clients held by ${processes}`, unit: 'clients', digits: 0 },
			{ key: `scale.${store}.${count}.cpuPer1000`, label: `scale (${name}), ${processes}: CPU per 1,000 updates`, unit: 's', digits: 2 },
			{ key: `scale.${store}.${count}.rssMB`, label: `scale (${name}), ${processes}: RSS per process (highest)`, unit: 'MB', digits: 0 },
			{
				key: `scale.${store}.${count}.redisPerSec`,
				label: `scale (${name}), ${processes}: Redis messages published`,
				unit: '/s',
				digits: 0
			}
		);
	}
	rows.push({
		key: `scale.${store}.ratio`,
		label: `scale (${name}): clients held by 2 processes ÷ by 1`,
		unit: '×',
		digits: 2,
		target: { op: '>=', value: 1.8 }
	});
	return rows;
}

function format(value: number | undefined, spec: FigureSpec): string {
	if (value === undefined || Number.isNaN(value)) return '—';
	return `${value.toLocaleString('en-US', { minimumFractionDigits: spec.digits, maximumFractionDigits: spec.digits })} ${spec.unit}`;
}

function ratio(value: number | undefined, reference: number | undefined): string {
	if (value === undefined || reference === undefined || !Number.isFinite(value) || !Number.isFinite(reference) || reference === 0)
		return '—';
	return `${(value / reference).toFixed(2)}×`;
}

/** The bound a relative target sets from the other servers' figures; NaN when none was measured. */
function bound(target: Target, results: Record<ServerKind, Figures>, key: string): number {
	if (target.relativeToReference) {
		const reference = results.reference?.[key];
		return reference === undefined || !(reference > 0) ? Number.NaN : target.value * reference;
	}
	if (target.relativeToPersistentPeers) {
		const peers = PERSISTENT_PEERS.map((kind) => results[kind]?.[key]).filter((value): value is number => value !== undefined && value > 0);
		if (peers.length === 0) return Number.NaN;
		return target.value * (target.op === '<=' ? Math.min(...peers) : Math.max(...peers));
	}
	return target.value;
}

function verdict(spec: FigureSpec, results: Record<ServerKind, Figures>): string {
	if (!spec.target) return '';
	const value = results.product?.[spec.key];
	const verdicts = (Array.isArray(spec.target) ? spec.target : [spec.target]).map((target) => {
		const sign = target.op === '<=' ? '≤' : '≥';
		const text = target.relativeToReference
			? `${sign} ${target.value}× ref`
			: target.relativeToPersistentPeers
				? `${sign} persistent peers`
				: `${sign} ${target.value.toLocaleString('en-US')} ${spec.unit}`;
		if (value === undefined || Number.isNaN(value)) return `${text}: not measured`;
		const goal = bound(target, results, spec.key);
		if (Number.isNaN(goal)) return `${text}: ${target.relativeToReference ? 'no reference' : 'no persistent peer measured'}`;
		const met = target.op === '<=' ? value <= goal : value >= goal;
		return `${text}: ${met ? 'met' : '**not met**'}`;
	});
	return verdicts.join('; ');
}

/**
 * A Markdown table: one row per figure, one column per server, the product's figure divided by
 * each other server's, and the product's targets.
 */
export function renderTable(results: Record<ServerKind, Figures>, servers: ServerKind[]): string {
	const others = servers.filter((kind) => kind !== 'product');
	const product = servers.includes('product');
	const header = [
		'figure',
		...servers.map((kind) => SERVER_LABELS[kind]),
		...(product ? others.map((kind) => `this product ÷ ${SERVER_LABELS[kind]}`) : []),
		'target (this product)'
	];
	const rows = [header, header.map(() => '---')];
	for (const spec of FIGURES) {
		const values = servers.map((kind) => results[kind]?.[spec.key]);
		if (values.every((value) => value === undefined)) continue;
		rows.push([
			spec.label,
			...values.map((value) => format(value, spec)),
			...(product ? others.map((kind) => ratio(results.product?.[spec.key], results[kind]?.[spec.key])) : []),
			verdict(spec, results)
		]);
	}
	return rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Where the generated part of RESULTS.md ends; what follows it is kept from run to run. */
const KEEP_MARKER = '<!-- Everything below this line is kept when the benchmark rewrites this file. -->';

export interface RunInfo {
	quick: boolean;
	minutes: number;
	machine: { nproc: number; memoryGiB: number; freeGiB: number; cpu: string; node: string; loadavg: number[]; loadavgStart: number[] };
}

/** Writes the table with the date, the machine and the command; keeps the file's notes section. */
export function writeResults(file: string, table: string, run: RunInfo): string {
	const kept = existsSync(file) ? (readFileSync(file, 'utf8').split(KEEP_MARKER)[1] ?? '') : '';
	const { machine } = run;
	const text = [
		'# Benchmark results',
		'',
		`Generated by \`${run.quick ? 'BENCH_QUICK=1 ' : ''}npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (${run.minutes.toFixed(1)} min).`,
		'',
		`Machine: ${machine.nproc} cores (\`nproc\`), ${machine.memoryGiB.toFixed(1)} GiB memory, CPU \`${machine.cpu}\`, Node ${machine.node}; ` +
			`load average (1, 5, 15 min) at the start ${machine.loadavgStart.map((n) => n.toFixed(2)).join(' ')}, at the end ${machine.loadavg.map((n) => n.toFixed(2)).join(' ')} ` +
			'(the machine is shared: a load above 2 means other work competed for its two cores, and latency tails show it).',
		'',
		'Servers, one at a time on loopback, each with the same seeded workload from one load-generator process: ' +
			'this product (`build/app-server.js`, session-cookie authentication, every update in SQLite before it is relayed), ' +
			'`@y/websocket-server` 0.1.1 (the reference; no persistence configured) and `@hocuspocus/server` 3.4.4 (no extensions, so no persistence), ' +
			'and the same two with their own persistence on (the fair comparison): `@y/websocket-server` with its LevelDB store (`YPERSISTENCE`, y-leveldb 0.1.2; ' +
			'each update written as it is applied, after it is relayed) and `@hocuspocus/server` with `@hocuspocus/extension-sqlite` 3.4.4 (the whole document stored, debounced 2 s). ' +
			'Fan-out latency is the time from a write until it has arrived at every other client of its room. Rows with one figure are this product only.',
		'',
		table,
		'',
		KEEP_MARKER,
		kept.trimStart() ? `\n${kept.trimStart()}` : ''
	].join('\n');
	writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
	return file;
}
