import { readFile } from 'node:fs/promises';
import { create as openFont } from 'fontkit';
import subsetFont from 'subset-font';

/** The code points a font file maps (parsing a CJK face takes a good part of a second: a render worker's job). */
export async function fontCharacters(path: string): Promise<number[]> {
	return openFont(await readFile(path)).characterSet;
}

/** A font file cut down to `characters`, as OpenType (hb-subset; up to a second per slice: a render worker's job). */
export async function fontSlice(path: string, characters: string): Promise<Uint8Array> {
	return new Uint8Array(await subsetFont(await readFile(path), characters, { targetFormat: 'sfnt' }));
}
