/**
 * The message syntax, at compile time and at run time (plain TypeScript, no framework):
 * - `{name}` inserts a parameter (a string or a number);
 * - `{name, plural, one {…} other {…}}` chooses the words by the plural category of the number `name` in
 *   the message's language (Intl.PluralRules); `=0 {…}` matches an exact value, `#` inside is the number.
 */

// ── compile time: the parameters of a message, read from its literal type ──────────────

/** The first `{` or `}` of a text: which one, the text before it and the text after it. */
type NextBrace<S extends string> = S extends `${infer Before}{${infer After}`
	? Before extends `${infer B}}${infer A}`
		? ['}', B, `${A}{${After}`]
		: ['{', Before, After]
	: S extends `${infer B}}${infer A}`
		? ['}', B, A]
		: ['', S, ''];

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;

/** No parameters: the identity of the intersections below. */
export type EmptyParams = Record<never, never>;

/** Text up to the `}` that closes it (or the end): [its parameters, what follows]. */
type TextParams<S extends string> =
	NextBrace<S> extends ['{', string, infer After extends string]
		? ArgumentParams<After> extends [infer P, infer Rest extends string]
			? TextParams<Rest> extends [infer Q, infer End extends string]
				? [P & Q, End]
				: never
			: never
		: NextBrace<S> extends ['}', string, infer After extends string]
			? [EmptyParams, After]
			: [EmptyParams, ''];

/** An argument after its `{`: `name}` or `name, plural, … {…} … {…}}`. */
type ArgumentParams<S extends string> = S extends `${infer Name}}${infer Rest}`
	? Name extends `${infer Plural},${string}plural,${infer Forms}`
		? PluralForms<`${Forms}}${Rest}`> extends [infer P, infer End extends string]
			? [{ [N in Trim<Plural>]: number } & P, End]
			: never
		: [{ [N in Trim<Name>]: string | number }, Rest]
	: [EmptyParams, ''];

/** The `selector {text}` forms of a plural, up to its closing `}`. */
type PluralForms<S extends string> =
	NextBrace<S> extends ['{', string, infer After extends string]
		? TextParams<After> extends [infer P, infer Rest extends string]
			? PluralForms<Rest> extends [infer Q, infer End extends string]
				? [P & Q, End]
				: never
			: never
		: NextBrace<S> extends ['}', string, infer After extends string]
			? [EmptyParams, After]
			: [EmptyParams, ''];

/**
 * The parameters a message template needs: `'{count} selected'` → `{ count: string | number }`;
 * a plural's number must be a number: `'{count, plural, one {# item} other {# items}}'` → `{ count: number }`.
 */
export type TemplateParams<S extends string> = S extends string
	? TextParams<S>[0] extends infer P
		? { [K in keyof P]: P[K] }
		: never
	: never;

// ── run time ─────────────────────────────────────────────────────────────────────────────

export type ParamValue = string | number;

type Part = string | { name: string } | { name: string; forms: Map<string, Part[]> } | { pound: true };

/** Parses text from `index` up to the `}` that closes it (or the end); returns its parts and where it ended. */
function parseText(template: string, index: number, inPlural: boolean): [Part[], number] {
	const parts: Part[] = [];
	let literal = '';
	while (index < template.length) {
		const char = template[index];
		if (char === '}') break;
		if (char === '{') {
			if (literal) parts.push(literal);
			literal = '';
			const [part, next] = parseArgument(template, index + 1);
			parts.push(part);
			index = next;
		} else if (char === '#' && inPlural) {
			if (literal) parts.push(literal);
			literal = '';
			parts.push({ pound: true });
			index++;
		} else {
			literal += char;
			index++;
		}
	}
	if (literal) parts.push(literal);
	return [parts, index];
}

function parseArgument(template: string, index: number): [Part, number] {
	const end = template.slice(index).search(/[},]/);
	if (end < 0) throw new SyntaxError(`Unclosed { in message: ${template}`);
	const name = template.slice(index, index + end).trim();
	index += end;
	if (template[index] === '}') return [{ name }, index + 1];
	const kind = /^,\s*plural\s*,/.exec(template.slice(index));
	if (!kind) throw new SyntaxError(`Only {name} and {name, plural, …} are supported: ${template}`);
	index += kind[0].length;
	const forms = new Map<string, Part[]>();
	for (;;) {
		const selector = /^\s*([^\s{}]*)\s*([{}])/.exec(template.slice(index));
		if (!selector) throw new SyntaxError(`Malformed plural in message: ${template}`);
		index += selector[0].length;
		if (selector[2] === '}') {
			if (selector[1]) throw new SyntaxError(`Plural form "${selector[1]}" has no text: ${template}`);
			break;
		}
		const [parts, next] = parseText(template, index, true);
		if (template[next] !== '}') throw new SyntaxError(`Unclosed plural form in message: ${template}`);
		forms.set(selector[1], parts);
		index = next + 1;
	}
	if (!forms.has('other')) throw new SyntaxError(`A plural needs an "other" form: ${template}`);
	return [{ name, forms }, index];
}

const parsed = new Map<string, Part[]>();

/** The parts of a template, parsed once. Throws a SyntaxError for a malformed template. */
export function parseTemplate(template: string): Part[] {
	let parts = parsed.get(template);
	if (!parts) {
		const [result, end] = parseText(template, 0, false);
		if (end !== template.length) throw new SyntaxError(`Unmatched } in message: ${template}`);
		parts = result;
		parsed.set(template, parts);
	}
	return parts;
}

/** The parameter names a template uses, sorted (for checking that translations match). */
export function templateParamNames(template: string): string[] {
	const names = new Set<string>();
	const visit = (parts: Part[]) => {
		for (const part of parts) {
			if (typeof part === 'string' || 'pound' in part) continue;
			names.add(part.name);
			if ('forms' in part) for (const form of part.forms.values()) visit(form);
		}
	};
	visit(parseTemplate(template));
	return [...names].sort();
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** The plural category of a number in a language: 'one', 'other', … (Chinese has only 'other'). */
export function pluralCategory(locale: string, count: number): Intl.LDMLPluralRule {
	let rules = pluralRules.get(locale);
	if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
	return rules.select(count);
}

function render(parts: Part[], locale: string, params: Readonly<Record<string, ParamValue>>, count: ParamValue | undefined): string {
	let text = '';
	for (const part of parts) {
		if (typeof part === 'string') text += part;
		else if ('pound' in part) text += String(count);
		else if (!Object.hasOwn(params, part.name)) text += `{${part.name}}`;
		else if (!('forms' in part)) text += String(params[part.name]);
		else {
			const value = params[part.name];
			const number = Number(value);
			const form = part.forms.get(`=${number}`) ?? part.forms.get(pluralCategory(locale, number)) ?? part.forms.get('other')!;
			text += render(form, locale, params, value);
		}
	}
	return text;
}

/** A template with its parameters filled in for a language; a missing parameter stays visible as `{name}`. */
export function formatMessage(locale: string, template: string, params: Readonly<Record<string, ParamValue>> = {}): string {
	return render(parseTemplate(template), locale, params, undefined);
}
