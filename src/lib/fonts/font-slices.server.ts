import { shippedFont } from '$lib/server/export/shipped-font';
import { readRunner } from '$lib/server/reads/read-runner';
import { chineseSlices, slicesVersion, unicodeRange } from './chinese-slices';

/** The family the interface names first for Chinese text (src/app.css). */
export const FONT_FAMILY = 'Journey Noto Sans SC';

/** The shipped font's two faces, the CSS weights each serves, and the machine's own fonts tried first. */
const FACES = {
	regular: {
		weight: '100 500',
		local: [
			'Noto Sans CJK SC',
			'NotoSansCJKsc-Regular',
			'Source Han Sans SC',
			'SourceHanSansSC-Regular',
			'PingFang SC Regular',
			'PingFangSC-Regular',
			'Microsoft YaHei',
			'MicrosoftYaHei'
		]
	},
	bold: {
		weight: '600 900',
		local: [
			'Noto Sans CJK SC Bold',
			'NotoSansCJKsc-Bold',
			'Source Han Sans SC Bold',
			'SourceHanSansSC-Bold',
			'PingFang SC Semibold',
			'PingFangSC-Semibold',
			'Microsoft YaHei Bold',
			'MicrosoftYaHei-Bold'
		]
	}
} as const;

export type FaceName = keyof typeof FACES;

/** The cut of the shipped font: its slices and the version that names their addresses. */
interface Cut {
	slices: number[][];
	version: string;
	css: string;
}

let cut: Promise<Cut | null> | undefined;

/** The address of one slice of one face. */
export function sliceFileName(version: string, face: FaceName, index: number): string {
	return `noto-sans-sc-${version}-${face}-${index}.otf`;
}

/** Reads a slice's address back: its version, face and index, or null for any other name. */
export function parseSliceFileName(name: string): { version: string; face: FaceName; index: number } | null {
	const match = /^noto-sans-sc-([0-9a-z]{1,13})-(regular|bold)-(\d{1,4})\.otf$/.exec(name);
	return match ? { version: match[1], face: match[2] as FaceName, index: Number(match[3]) } : null;
}

/** The @font-face rules of every slice of both faces, each face trying the machine's own Chinese fonts first. */
function fontFaceCss(slices: readonly number[][], version: string): string {
	const rules: string[] = [];
	for (const [face, { weight, local }] of Object.entries(FACES) as [FaceName, (typeof FACES)[FaceName]][]) {
		const sources = [...local.map((name) => `local('${name}')`)];
		slices.forEach((slice, index) => {
			const url = `url('/fonts/${sliceFileName(version, face, index)}') format('opentype')`;
			rules.push(
				`@font-face{font-family:'${FONT_FAMILY}';src:${[...sources, url].join(',')};font-weight:${weight};font-display:block;unicode-range:${unicodeRange(slice)}}`
			);
		});
	}
	return rules.join('\n') + '\n';
}

async function makeCut(): Promise<Cut | null> {
	const font = shippedFont();
	if (!font) return null;
	// Both faces map the same characters; the regular one's map decides the cut.
	const covered = (await readRunner().run({ kind: 'font-characters', path: font.regular.path })) as number[];
	const slices = chineseSlices(covered);
	const version = slicesVersion(slices);
	return { slices, version, css: fontFaceCss(slices, version) };
}

/** The cut of the shipped font, made once per process on a render worker; null when the font package is missing. */
export function fontCut(): Promise<Cut | null> {
	if (!cut) {
		cut = makeCut();
		// A failure (the workers' queue was full) is not kept: the next request tries again.
		cut.catch(() => (cut = undefined));
	}
	return cut;
}

const sliceFiles = new Map<string, Promise<Uint8Array>>();

/**
 * One slice of one face as an OpenType file, cut on a render worker at first request and kept
 * (both faces' slices together are the size of the font). Null for a slice that does not exist.
 */
export async function sliceFile(version: string, face: FaceName, index: number): Promise<Uint8Array | null> {
	const current = await fontCut();
	const font = shippedFont();
	if (!current || !font || version !== current.version || index >= current.slices.length) return null;
	const key = `${face}-${index}`;
	let file = sliceFiles.get(key);
	if (!file) {
		const characters = String.fromCodePoint(...current.slices[index]);
		file = readRunner().run({ kind: 'font-slice', path: font[face].path, characters }) as Promise<Uint8Array>;
		// A failure is not kept: the next request tries again.
		file.catch(() => sliceFiles.delete(key));
		sliceFiles.set(key, file);
	}
	return file;
}
