/** Test support shared by the unit and the sync suites. */

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; throws on anything else. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let index = 0;
	while (index < text.length) {
		let field = '';
		if (text[index] === '"') {
			index += 1;
			for (;;) {
				if (index >= text.length) throw new Error('unterminated quoted field');
				if (text.startsWith('""', index)) {
					field += '"';
					index += 2;
				} else if (text[index] === '"') {
					index += 1;
					break;
				} else field += text[index++];
			}
		} else {
			while (index < text.length && text[index] !== ',' && text[index] !== '\r') {
				if (text[index] === '"' || text[index] === '\n') throw new Error(`bare ${JSON.stringify(text[index])} at ${index}`);
				field += text[index++];
			}
		}
		row.push(field);
		if (text[index] === ',') index += 1;
		else if (text.startsWith('\r\n', index)) {
			rows.push(row);
			row = [];
			index += 2;
		} else throw new Error(`expected , or CRLF at ${index}`);
	}
	if (row.length > 0) throw new Error('last record has no CRLF');
	return rows;
}
