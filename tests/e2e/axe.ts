import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rule sets. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const IMPACTS = ['minor', 'moderate', 'serious', 'critical'];

/** One finding as a failure message shows it: the rule, its impact, and each element with what is wrong. */
export interface AxeFinding {
	rule: string;
	impact: string;
	help: string;
	targets: string[];
}

/**
 * Runs axe-core on the page as it is now and returns the serious and critical violations of
 * WCAG 2.1 A/AA. `alsoRules` names further rules (best-practice ones such as `heading-order`
 * included) reported at any impact.
 */
export async function accessibilityViolations(page: Page, { alsoRules = [] }: { alsoRules?: string[] } = {}): Promise<AxeFinding[]> {
	const tags = alsoRules.length > 0 ? [...WCAG_TAGS, 'best-practice'] : WCAG_TAGS;
	const results = await new AxeBuilder({ page }).withTags(tags).analyze();
	return results.violations
		.filter(
			(violation) =>
				alsoRules.includes(violation.id) ||
				(violation.tags.some((tag) => WCAG_TAGS.includes(tag)) &&
					IMPACTS.indexOf(violation.impact ?? 'minor') >= IMPACTS.indexOf('serious'))
		)
		.map((violation) => ({
			rule: violation.id,
			impact: violation.impact ?? '',
			help: violation.help,
			targets: violation.nodes.map(
				(node) => `${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`
			)
		}));
}
