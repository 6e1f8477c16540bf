import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { automaticVersionName, beforeRestoreVersionName, comparedFieldLabel, versionLabel } from './version-names';

describe('names of versions the server saves by itself', () => {
	const zh = translator('zh-CN');
	const en = translator('en');

	it('are stored in the documented English form', () => {
		expect(automaticVersionName('2026-12-05')).toBe('Automatic — 2026-12-05');
		expect(beforeRestoreVersionName('Workshop start')).toBe('Before restoring “Workshop start”');
	});

	it('read in the reader language, also when nested', () => {
		expect(versionLabel('Automatic — 2026-12-05', zh)).toBe('自动保存 — 2026-12-05');
		expect(versionLabel(beforeRestoreVersionName(automaticVersionName('2026-12-05')), zh)).toBe('恢复“自动保存 — 2026-12-05”之前');
		expect(versionLabel(beforeRestoreVersionName('工作坊开始'), zh)).toBe('恢复“工作坊开始”之前');
		expect(versionLabel('Automatic — 2026-12-05', en)).toBe('Automatic — 2026-12-05');
	});

	it('leave a name a person typed as typed', () => {
		expect(versionLabel('Automatic — tomorrow', zh)).toBe('Automatic — tomorrow');
		expect(versionLabel('三月工作坊', zh)).toBe('三月工作坊');
	});
});

describe('compared field labels', () => {
	it('name each field as the details panel does', () => {
		const zh = translator('zh-CN');
		expect(comparedFieldLabel('stageId', zh)).toBe(zh('field.stage'));
		expect(comparedFieldLabel('laneId', zh)).toBe(zh('field.lane'));
		expect(comparedFieldLabel('title', zh)).toBe(zh('field.title'));
		expect(comparedFieldLabel('title', zh)).not.toBe('title');
	});
});
