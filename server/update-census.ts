import * as decoding from 'lib0/decoding';

/** How many structs, and of them shared types, an update holds. */
export interface Census {
	structs: number;
	types: number;
}

// Struct kinds of the Yjs update format (V1): the low five bits of a struct's info byte.
const GC = 0;
const DELETED = 1;
const JSON_CONTENT = 2;
const BINARY = 3;
const STRING = 4;
const EMBED = 5;
const FORMAT = 6;
const TYPE = 7;
const ANY = 8;
const SUBDOC = 9;
const SKIP = 10;
const ORIGIN = 0x80;
const RIGHT_ORIGIN = 0x40;
const PARENT_SUB = 0x20;
// Shared types that carry a name (`Y.XmlElement`, `Y.XmlHook`).
const NAMED_TYPES = new Set([3, 5]);

/**
 * Counts the structs and shared types of a (V1) update by walking its bytes, without building a
 * single struct: `Y.decodeUpdate` makes about 600 heap bytes of each, so an update of a few MB of
 * tiny maps costs a hundred MB just to look at. The delete set after the structs is not read.
 * Throws on malformed input (lib0's errors).
 */
export function censusOf(update: Uint8Array): Census {
	const decoder = decoding.createDecoder(update);
	let structs = 0;
	let types = 0;
	for (let clients = decoding.readVarUint(decoder); clients > 0; clients--) {
		const count = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder); // client
		decoding.readVarUint(decoder); // clock
		structs += count;
		for (let i = 0; i < count; i++) if (skipStruct(decoder)) types++;
	}
	return { structs, types };
}

/** Skips one struct; whether it creates a shared type. */
function skipStruct(decoder: decoding.Decoder): boolean {
	const info = readByte(decoder);
	const kind = info & 0x1f;
	if (kind === GC || kind === SKIP) {
		decoding.readVarUint(decoder);
		return false;
	}
	if (info & ORIGIN) skipId(decoder);
	if (info & RIGHT_ORIGIN) skipId(decoder);
	if ((info & (ORIGIN | RIGHT_ORIGIN)) === 0) {
		if (decoding.readVarUint(decoder) === 1) skipString(decoder);
		else skipId(decoder);
		if (info & PARENT_SUB) skipString(decoder);
	}
	switch (kind) {
		case DELETED:
			decoding.readVarUint(decoder);
			return false;
		case JSON_CONTENT:
			for (let n = decoding.readVarUint(decoder); n > 0; n--) skipString(decoder);
			return false;
		case BINARY:
		case STRING:
		case EMBED:
			skipString(decoder);
			return false;
		case FORMAT:
			skipString(decoder);
			skipString(decoder);
			return false;
		case TYPE:
			if (NAMED_TYPES.has(decoding.readVarUint(decoder))) skipString(decoder);
			return true;
		case ANY:
			for (let n = decoding.readVarUint(decoder); n > 0; n--) skipAny(decoder);
			return false;
		case SUBDOC:
			skipString(decoder);
			skipAny(decoder);
			return false;
		default:
			throw new Error(`unknown struct kind ${kind}`);
	}
}

function skipId(decoder: decoding.Decoder): void {
	decoding.readVarUint(decoder);
	decoding.readVarUint(decoder);
}

/** Skips a length-prefixed string or byte array. */
function skipString(decoder: decoding.Decoder): void {
	skipBytes(decoder, decoding.readVarUint(decoder));
}

// lib0's `readUint8` reads past the end as undefined; a count of values would then loop on nothing.
function readByte(decoder: decoding.Decoder): number {
	if (decoder.pos >= decoder.arr.length) throw new Error('unexpected end of the update');
	return decoder.arr[decoder.pos++];
}

function skipBytes(decoder: decoding.Decoder, length: number): void {
	if (decoder.pos + length > decoder.arr.length) throw new Error('unexpected end of the update');
	decoder.pos += length;
}

/** Skips one value of lib0's `writeAny` format. */
function skipAny(decoder: decoding.Decoder): void {
	switch (readByte(decoder)) {
		case 125: // integer
			decoding.readVarInt(decoder);
			break;
		case 124: // float32
			skipBytes(decoder, 4);
			break;
		case 123: // float64
		case 122: // bigint64
			skipBytes(decoder, 8);
			break;
		case 119: // string
		case 116: // Uint8Array
			skipString(decoder);
			break;
		case 118: // object
			for (let n = decoding.readVarUint(decoder); n > 0; n--) {
				skipString(decoder);
				skipAny(decoder);
			}
			break;
		case 117: // array
			for (let n = decoding.readVarUint(decoder); n > 0; n--) skipAny(decoder);
			break;
		default: // undefined, null, true, false: nothing follows
	}
}
