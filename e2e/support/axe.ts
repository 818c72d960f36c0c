import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

type RawViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/**
 * Runs axe-core in the page (WCAG 2.x A/AA rules and best practices) and returns the serious
 * and critical violations, each with the selectors of the offending elements.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // String expressions run in the page (this package is type-checked without DOM types).
  const loaded = await page.evaluate<boolean>("typeof window.axe !== 'undefined'");
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate<RawViolation[]>(
    "window.axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
}
