import type { MarkingIssueKind } from '../analysis';
import type { EvidenceType, LaneType, TouchpointKind } from '../schema';

/** Languages the exports are written in (the same tags as the interface's locales). */
export const EXPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

/** The words every export uses around the journey's own text. */
export interface ExportLabels {
	language: ExportLanguage;
	kind: Record<TouchpointKind, string>;
	laneType: Record<LaneType, string>;
	/** A sentence for each marking issue, as a warning about one touchpoint. */
	markingIssue: Record<MarkingIssueKind, string>;
	evidenceType: Record<EvidenceType, string>;
	yes: string;
	no: string;
	none: string;
	peak: string;
	end: string;
	emotionCurve: string;
	stagesCorner: string;
	evidenceCount: (count: number) => string;
	noEvidence: string;
	customers: (count: number) => string;
	stagesAndTouchpoints: (touchpoints: number, stages: number) => string;
	/** CSV column headers, in column order. */
	csv: {
		id: string;
		stage: string;
		lane: string;
		title: string;
		description: string;
		kind: string;
		emotion: string;
		expectation: string;
		experience: string;
		importance: string;
		ideal: string;
		satisfaction: string;
		weighted: string;
		idealGap: string;
		channel: string;
		owner: string;
		evidenceCount: string;
		isPeak: string;
		isEnd: string;
		markingIssue: string;
	};
	/** Short column names for tables and fact lines. */
	short: {
		stage: string;
		lane: string;
		kind: string;
		emotion: string;
		expectation: string;
		experience: string;
		importance: string;
		ideal: string;
		satisfaction: string;
		weighted: string;
		idealGap: string;
		channel: string;
		owner: string;
		evidence: string;
	};
	report: {
		subtitle: (touchpoints: number, stages: number) => string;
		peakEnd: string;
		peakEndIntro: string;
		remembered: string;
		average: string;
		peakRow: string;
		endRow: string;
		balanceCheck: string;
		endCheck: string;
		passes: string;
		fails: string;
		notComputed: string;
		balanceDetail: (worstNegative: string, bestPositive: string) => string;
		endDetail: (end: string) => string;
		noEmotions: string;
		keyExperiences: string;
		keyExperiencesIntro: string;
		noGaps: string;
		rank: string;
		touchpoint: string;
		markings: string;
		unsupportedPeaks: string;
		unsupportedPeaksIntro: string;
		coverage: string;
		coverageSentence: (covered: number, total: number, percent: string) => string;
		assumptions: (count: number) => string;
		touchpointsByStage: string;
		noTouchpoints: string;
		evidence: string;
		noStage: string;
	};
	summary: {
		heading: string;
		rememberedAs: string;
		rememberedFormula: string;
		rememberedVsAverage: (remembered: string, average: string) => string;
		peakAndEnd: (peak: string, end: string) => string;
		rememberedExplained: string;
		checks: string;
		keyExperiences: string;
		unsupportedPeaks: string;
		allPeaksSupported: string;
		departments: string;
		departmentsIntro: string;
		department: string;
		noOwner: string;
		touchpointsCount: (count: number) => string;
		totalWeighted: string;
		evidenceShort: string;
		noneShort: string;
		coverage: (covered: number, total: number, percent: string) => string;
		noEmotionData: string;
		noKeyExperiences: string;
		more: (count: number) => string;
	};
	svg: {
		legendKinds: string;
		legendMarkers: string;
	};
}

const EN: ExportLabels = {
	language: 'en',
	kind: { neutral: 'Neutral', 'positive-peak': 'Positive peak', 'negative-peak': 'Negative peak' },
	laneType: {
		actions: 'Customer actions',
		touchpoints: 'Touchpoints',
		channels: 'Channels',
		backstage: 'Backstage / department',
		notes: 'Notes'
	},
	markingIssue: {
		'positive-peak-not-positive': 'marked as a positive peak, but the emotion is not positive',
		'negative-peak-not-negative': 'marked as a negative peak, but the emotion is not negative',
		'suggested-peak': 'marked neutral, but the emotion is strong enough to be a moment of truth'
	},
	evidenceType: { quote: 'Quote', metric: 'Metric', observation: 'Observation', link: 'Link', file: 'File' },
	yes: 'yes',
	no: 'no',
	none: 'None.',
	peak: 'Peak',
	end: 'End',
	emotionCurve: 'Emotion curve',
	stagesCorner: 'Stages →',
	evidenceCount: (count) => (count === 1 ? '1 evidence' : `${count} evidence`),
	noEvidence: 'no evidence',
	customers: (count) => (count === 1 ? 'n = 1 customer' : `n = ${count} customers`),
	stagesAndTouchpoints: (touchpoints, stages) =>
		`${touchpoints} ${touchpoints === 1 ? 'touchpoint' : 'touchpoints'} in ${stages} ${stages === 1 ? 'stage' : 'stages'}`,
	csv: {
		id: 'Id',
		stage: 'Stage',
		lane: 'Lane',
		title: 'Title',
		description: 'Description',
		kind: 'Kind',
		emotion: 'Emotion (−5…5)',
		expectation: 'Expectation (0–10)',
		experience: 'Experience (0–10)',
		importance: 'Importance (0–10)',
		ideal: 'Ideal (0–10)',
		satisfaction: 'Satisfaction (experience − expectation)',
		weighted: 'Weighted gap (importance × satisfaction)',
		idealGap: 'Ideal gap (experience − ideal)',
		channel: 'Channel',
		owner: 'Owner (department)',
		evidenceCount: 'Evidence items',
		isPeak: 'Is peak',
		isEnd: 'Is end',
		markingIssue: 'Marking issue'
	},
	short: {
		stage: 'Stage',
		lane: 'Lane',
		kind: 'Kind',
		emotion: 'Emotion',
		expectation: 'Expectation',
		experience: 'Experience',
		importance: 'Importance',
		ideal: 'Ideal',
		satisfaction: 'Satisfaction',
		weighted: 'Weighted gap',
		idealGap: 'Ideal gap',
		channel: 'Channel',
		owner: 'Owner',
		evidence: 'Evidence'
	},
	report: {
		subtitle: (touchpoints, stages) =>
			`Customer journey report: ${touchpoints} ${touchpoints === 1 ? 'touchpoint' : 'touchpoints'} in ${stages} ${stages === 1 ? 'stage' : 'stages'}.`,
		peakEnd: 'Peak–end',
		peakEndIntro:
			'Customers remember an experience by its most intense moment and its end, not by its average (peak–end rule).',
		remembered: 'Remembered score (peak + end) / 2',
		average: 'Average emotion',
		peakRow: 'Peak',
		endRow: 'End',
		balanceCheck: 'Balance check',
		endCheck: 'End check',
		passes: 'passes',
		fails: 'fails',
		notComputed: 'not computed',
		balanceDetail: (worstNegative, bestPositive) =>
			`the worst negative emotion (${worstNegative}) must not outweigh the best positive one (${bestPositive})`,
		endDetail: (end) => `the end emotion (${end}) should be 0 or better`,
		noEmotions: 'No touchpoint has an emotion yet, so peak–end cannot be computed.',
		keyExperiences: 'Key experiences',
		keyExperiencesIntro:
			'Weighted gap = importance × (experience − expectation). The most negative are the key experiences to fix first.',
		noGaps: 'No touchpoint has both an expectation and an experience score yet.',
		rank: '#',
		touchpoint: 'Touchpoint',
		markings: 'Marking warnings',
		unsupportedPeaks: 'Unsupported peaks',
		unsupportedPeaksIntro: 'Moments of truth with no evidence behind them are assumptions.',
		coverage: 'Evidence coverage',
		coverageSentence: (covered, total, percent) =>
			`${covered} of ${total} touchpoints (${percent}) rest on at least one piece of evidence.`,
		assumptions: (count) => (count === 1 ? '1 touchpoint is an assumption.' : `${count} touchpoints are assumptions.`),
		touchpointsByStage: 'Touchpoints by stage',
		noTouchpoints: 'No touchpoints.',
		evidence: 'Evidence',
		noStage: 'No stage'
	},
	summary: {
		heading: 'Executive summary',
		rememberedAs: 'Remembered score',
		rememberedFormula: '(peak + end) / 2',
		rememberedVsAverage: (remembered, average) => `Remembered as ${remembered}; the plain average is ${average}.`,
		peakAndEnd: (peak, end) => `Peak: ${peak}. End: ${end}.`,
		rememberedExplained:
			'Customers remember the most intense moment and the end (peak-end rule), not the average.',
		checks: 'Checks',
		keyExperiences: 'Key experiences to fix first',
		unsupportedPeaks: 'Moments of truth without evidence',
		allPeaksSupported: 'Every marked moment of truth rests on evidence.',
		departments: 'Departments owning the worst gaps',
		departmentsIntro: 'Sum of the negative weighted gaps of the touchpoints each department owns.',
		department: 'Department',
		noOwner: '(no owner)',
		touchpointsCount: (count) => (count === 1 ? '1 touchpoint' : `${count} touchpoints`),
		totalWeighted: 'Weighted gap',
		evidenceShort: 'Evidence',
		noneShort: 'none',
		coverage: (covered, total, percent) => `Evidence covers ${covered} of ${total} touchpoints (${percent}).`,
		noEmotionData: 'No touchpoint has an emotion yet.',
		noKeyExperiences: 'No touchpoint falls short of expectation.',
		more: (count) => `… and ${count} more`
	},
	svg: {
		legendKinds: 'Touchpoints',
		legendMarkers: 'Emotion curve'
	}
};

const ZH: ExportLabels = {
	language: 'zh-CN',
	kind: { neutral: '中性接触点', 'positive-peak': '正面关键时刻', 'negative-peak': '负面关键时刻' },
	laneType: { actions: '客户行为', touchpoints: '接触点', channels: '渠道', backstage: '后台 / 部门', notes: '备注' },
	markingIssue: {
		'positive-peak-not-positive': '标为正面关键时刻，但情绪不是正面的',
		'negative-peak-not-negative': '标为负面关键时刻，但情绪不是负面的',
		'suggested-peak': '标为中性，但情绪强烈，可能是关键时刻'
	},
	evidenceType: { quote: '客户原话', metric: '指标', observation: '观察', link: '链接', file: '文件' },
	yes: '是',
	no: '否',
	none: '无。',
	peak: '峰值',
	end: '终点',
	emotionCurve: '情绪曲线',
	stagesCorner: '阶段 →',
	evidenceCount: (count) => `${count} 条证据`,
	noEvidence: '无证据',
	customers: (count) => `n = ${count} 位客户`,
	stagesAndTouchpoints: (touchpoints, stages) => `${stages} 个阶段，${touchpoints} 个接触点`,
	csv: {
		id: 'ID',
		stage: '阶段',
		lane: '泳道',
		title: '标题',
		description: '描述',
		kind: '类型',
		emotion: '情绪（−5…5）',
		expectation: '期望（0–10）',
		experience: '体验（0–10）',
		importance: '重要性（0–10）',
		ideal: '理想体验（0–10）',
		satisfaction: '满意度（体验 − 期望）',
		weighted: '加权差距（重要性 × 满意度）',
		idealGap: '理想差距（体验 − 理想）',
		channel: '渠道',
		owner: '负责部门',
		evidenceCount: '证据条数',
		isPeak: '峰值',
		isEnd: '终点',
		markingIssue: '标记问题'
	},
	short: {
		stage: '阶段',
		lane: '泳道',
		kind: '类型',
		emotion: '情绪',
		expectation: '期望',
		experience: '体验',
		importance: '重要性',
		ideal: '理想',
		satisfaction: '满意度',
		weighted: '加权差距',
		idealGap: '理想差距',
		channel: '渠道',
		owner: '负责部门',
		evidence: '证据'
	},
	report: {
		subtitle: (touchpoints, stages) => `客户之旅报告：${stages} 个阶段，${touchpoints} 个接触点。`,
		peakEnd: '峰终定律',
		peakEndIntro: '客户记住的是一段体验中最强烈的时刻和结束时的感受，而不是平均值（峰终定律）。',
		remembered: '记忆得分（峰值 + 终点）/ 2',
		average: '平均情绪',
		peakRow: '峰值',
		endRow: '终点',
		balanceCheck: '平衡检查',
		endCheck: '终点检查',
		passes: '通过',
		fails: '未通过',
		notComputed: '无法计算',
		balanceDetail: (worstNegative, bestPositive) => `最差的负面情绪（${worstNegative}）不应超过最好的正面情绪（${bestPositive}）`,
		endDetail: (end) => `终点情绪（${end}）应不低于 0`,
		noEmotions: '还没有接触点填写情绪，无法计算峰终。',
		keyExperiences: '关键体验',
		keyExperiencesIntro: '加权差距 = 重要性 ×（体验 − 期望）。最负的就是应当最先改进的关键体验。',
		noGaps: '还没有接触点同时填写期望与体验得分。',
		rank: '#',
		touchpoint: '接触点',
		markings: '标记警告',
		unsupportedPeaks: '缺少证据的关键时刻',
		unsupportedPeaksIntro: '没有证据支持的关键时刻只是假设。',
		coverage: '证据覆盖率',
		coverageSentence: (covered, total, percent) => `${total} 个接触点中有 ${covered} 个（${percent}）至少有一条证据。`,
		assumptions: (count) => `${count} 个接触点仍是假设。`,
		touchpointsByStage: '按阶段列出的接触点',
		noTouchpoints: '没有接触点。',
		evidence: '证据',
		noStage: '无阶段'
	},
	summary: {
		heading: '管理层摘要',
		rememberedAs: '记忆得分',
		rememberedFormula: '（峰值 + 终点）/ 2',
		rememberedVsAverage: (remembered, average) => `客户记忆中的得分为 ${remembered}；简单平均为 ${average}。`,
		peakAndEnd: (peak, end) => `峰值：${peak}。终点：${end}。`,
		rememberedExplained: '客户记住的是最强烈的时刻和结束时的感受（峰终定律），而不是平均值。',
		checks: '检查',
		keyExperiences: '应最先改进的关键体验',
		unsupportedPeaks: '缺少证据的关键时刻',
		allPeaksSupported: '所有标记的关键时刻都有证据支持。',
		departments: '负责最大差距的部门',
		departmentsIntro: '各部门负责的接触点的负加权差距之和。',
		department: '部门',
		noOwner: '（未指定部门）',
		touchpointsCount: (count) => `${count} 个接触点`,
		totalWeighted: '加权差距',
		evidenceShort: '证据',
		noneShort: '无',
		coverage: (covered, total, percent) => `证据覆盖 ${total} 个接触点中的 ${covered} 个（${percent}）。`,
		noEmotionData: '还没有接触点填写情绪。',
		noKeyExperiences: '没有低于期望的接触点。',
		more: (count) => `……另有 ${count} 项`
	},
	svg: {
		legendKinds: '接触点',
		legendMarkers: '情绪曲线'
	}
};

const LABELS: Record<ExportLanguage, ExportLabels> = { en: EN, 'zh-CN': ZH };

/** The export labels of a language; English for anything else. */
export function exportLabels(language: string = 'en'): ExportLabels {
	return LABELS[language as ExportLanguage] ?? EN;
}
