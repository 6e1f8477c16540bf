import type { TouchpointKind } from '$lib/journey/schema';

/** Icon per touchpoint kind, so kinds differ by shape and label as well as colour. */
export const KIND_ICON: Record<TouchpointKind, string> = {
	neutral: '●',
	'positive-peak': '▲',
	'negative-peak': '▼'
};
