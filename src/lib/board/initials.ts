/**
 * Avatar initials that tell the people shown apart: the first letters of the first and last
 * name ("Gina Guest" → "GG"), and where two people would get the same ones, another pair of
 * letters from the name ("Gina Guest" → "GI") or, failing that, a number ("G2").
 */
export function distinctInitials(names: readonly string[]): string[] {
	const taken = new Set<string>();
	return names.map((name) => {
		const candidates = initialCandidates(name);
		const chosen = candidates.find((candidate) => !taken.has(candidate)) ?? numbered(candidates[0], taken);
		taken.add(chosen);
		return chosen;
	});
}

/** The usual initials of a name (first letters of its first and last word, or its first two letters). */
export function initialsOf(name: string): string {
	return initialCandidates(name)[0];
}

function initialCandidates(name: string): string[] {
	const words = name.trim().split(/\s+/).filter(Boolean);
	if (words.length === 0) return ['?'];
	const letters = [...words.join('')].map((letter) => letter.toUpperCase());
	const first = letters[0];
	const usual = words.length > 1 ? first + [...words.at(-1)!][0].toUpperCase() : letters.slice(0, 2).join('');
	const others = letters.slice(1).map((letter) => first + letter);
	return [...new Set([usual, ...others])];
}

function numbered(base: string, taken: Set<string>): string {
	const letter = [...base][0];
	for (let number = 2; ; number++) if (!taken.has(`${letter}${number}`)) return `${letter}${number}`;
}
