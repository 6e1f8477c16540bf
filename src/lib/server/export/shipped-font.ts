import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Chinese font the product ships: Noto Sans SC (Adobe's and Google's Noto Sans Hans, SIL Open
 * Font License 1.1, about 30,800 characters: Latin, the whole of GB2312 and more) from the npm
 * package `@embedpdf/fonts-sc`, a dependency, so `npm install` brings it and exports render Chinese
 * on a machine without any CJK font. Its faces name themselves with this family.
 */
export const SHIPPED_FONT_FAMILY = 'Noto Sans S Chinese';

const PACKAGE = '@embedpdf/fonts-sc';

/** A font file and, for a collection (which holds several), the PostScript name of the face to take. */
export interface FontFile {
	path: string;
	face?: string;
}

/** The regular and bold faces of a font. */
export interface FontPair {
	regular: FontFile;
	bold: FontFile;
}

/** Where the package is installed: resolved from this module, then from the working directory. */
function packageDirectory(): string | null {
	for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
		try {
			// Its entry is `<package>/dist/index.cjs`; the fonts are beside `dist`.
			return dirname(dirname(createRequire(base).resolve(PACKAGE)));
		} catch {
			// Not reachable from there.
		}
	}
	return null;
}

let found: FontPair | null | undefined;

/** The shipped font's files, or null when the package is missing (a broken install). */
export function shippedFont(): FontPair | null {
	if (found !== undefined) return found;
	const directory = packageDirectory();
	const regular = directory && join(directory, 'fonts', 'NotoSansHans-Regular.otf');
	const bold = directory && join(directory, 'fonts', 'NotoSansHans-Bold.otf');
	found =
		regular && bold && existsSync(regular)
			? {
					regular: { path: regular },
					bold: { path: existsSync(bold) ? bold : regular }
				}
			: null;
	return found;
}
