import type { Translate } from '../i18n';
import type { JourneyComparison } from './compare';

type ComparedField = JourneyComparison['changed'][number]['fields'][number];

/**
 * Names the server gives versions it saves by itself. They are stored (and served by the API) in
 * this English form; the interface shows them in the reader's language through `versionLabel`.
 */
export function automaticVersionName(day: string): string {
	return `Automatic — ${day}`;
}

export function beforeRestoreVersionName(restored: string): string {
	return `Before restoring “${restored}”`;
}

const AUTOMATIC = /^Automatic — (\d{4}-\d{2}-\d{2})$/;
const BEFORE_RESTORE = /^Before restoring “(.*)”$/s;

/** A version's name as a reader sees it: a name the server made, in their language; a person's name as typed. */
export function versionLabel(name: string, t: Translate): string {
	const automatic = AUTOMATIC.exec(name);
	if (automatic) return t('versions.automaticName', { day: automatic[1] });
	const beforeRestore = BEFORE_RESTORE.exec(name);
	if (beforeRestore) return t('versions.beforeRestoreName', { name: versionLabel(beforeRestore[1], t) });
	return name;
}

/** The label of a compared field, as the details panel names it. */
export function comparedFieldLabel(field: ComparedField, t: Translate): string {
	if (field === 'stageId') return t('field.stage');
	if (field === 'laneId') return t('field.lane');
	return t(`field.${field}`);
}
