import { nameKey } from '$lib/journey/departments';

/**
 * Tag colours for departments: a light fill with a strong edge, so the department's dark text keeps
 * its contrast whatever the colour (WCAG AA on every fill).
 */
const TAGS = [
	{ fill: '#e7f0fd', edge: '#1971c2' },
	{ fill: '#e6f6ea', edge: '#2f9e44' },
	{ fill: '#fdf0e6', edge: '#d9480f' },
	{ fill: '#f6e8fa', edge: '#ae3ec9' },
	{ fill: '#e3f5f7', edge: '#0c8599' },
	{ fill: '#fbe7ef', edge: '#c2255c' },
	{ fill: '#edeafb', edge: '#5f3dc4' },
	{ fill: '#fdf3d8', edge: '#b07a00' }
];

/** The tag colours of a department, the same for every spelling of it and on every screen. */
export function departmentTag(owner: string): { fill: string; edge: string } {
	let hash = 0;
	for (const char of nameKey(owner)) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
	return TAGS[hash % TAGS.length];
}
