/**
 * An accessibility audit of the page as it stands, with axe-core (node_modules/axe-core/axe.min.js, injected
 * into the page, then `axe.run`): what a screen reader or keyboard user would trip on, rule by rule.
 *
 *   const found = await audit(page)                  // the whole document, WCAG 2.x A/AA and best practices
 *   expect(serious(found).map((v) => describeViolation(v))).toEqual([])
 *   await audit(page, { theme: 'dark', rules: ['color-contrast'] })   // the other theme's colours, same page
 *
 * The script is evaluated in the page once per document (a navigation or reload needs it again; `audit` checks). Not
 * with page.addScriptTag: the lab's Content-Security-Policy (script-src 'self') refuses an inline script and says so
 * on the console, which the walk counts as a problem; page.evaluate goes through the DevTools protocol, outside it.
 */
import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './fixtures'

export const AXE_PATH = join(ROOT, 'node_modules/axe-core/axe.min.js')

export type Impact = 'critical' | 'serious' | 'moderate' | 'minor'

export interface Violation {
  rule: string
  impact: Impact
  help: string
  /** CSS selectors of the elements that fail, and axe's reason for the first of them. */
  targets: string[]
  why: string
}

let source: string | undefined

const ORDER: Record<Impact, number> = { critical: 0, serious: 1, moderate: 2, minor: 3 }

export interface AuditOptions {
  /** Only the part of the page under this selector (default: the whole document). */
  within?: string
  /** Only these rules (default: every WCAG 2.x A/AA rule and axe's best practices). */
  rules?: string[]
  /**
   * Audit the page in this theme, then put the page's own back: the colours are the theme's (app.css, by
   * <html data-theme>), so one walk can check the dark theme's contrast without walking twice. Transitions are off
   * meanwhile, or axe would read a colour halfway between the two themes.
   */
  theme?: 'light' | 'dark'
}

/** Runs axe-core on the page; violations, critical and serious first. */
export async function audit(page: Page, options: AuditOptions = {}): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate((source ??= readFileSync(AXE_PATH, 'utf8')) + '\n;0')
  const found = await page.evaluate(async ({ within, rules, theme }) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    interface AxeViolation {
      id: string
      impact: string | null
      help: string
      nodes: { target: unknown[]; failureSummary?: string }[]
    }
    const root = document.documentElement
    const was = root.dataset.theme
    const still = document.createElement('style')
    if (theme && theme !== was) {
      still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
      document.head.append(still)
      root.dataset.theme = theme
    }
    try {
      const result = await axe.run(within ? { include: [within] } : document, {
        runOnly: rules
          ? { type: 'rule', values: rules }
          : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        resultTypes: ['violations']
      })
      return violations(result.violations)
    } finally {
      if (still.isConnected) {
        if (was === undefined) delete root.dataset.theme
        else root.dataset.theme = was
        // styles recomputed with the page's theme before transitions come back: none runs from the audit's colours
        void document.body.offsetHeight
        still.remove()
      }
    }
    function violations(list: AxeViolation[]) {
      return list.map((v) => ({
        rule: v.id,
        impact: (v.impact ?? 'minor') as string,
        help: v.help,
        targets: v.nodes.map((n) => n.target.map(String).join(' ')),
        why: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)
      }))
    }
  }, { within: options.within ?? null, rules: options.rules ?? null, theme: options.theme ?? null })
  return (found as Violation[]).sort((a, b) => ORDER[a.impact] - ORDER[b.impact])
}

/** The violations a test fails on: serious and critical. */
export function serious(found: Violation[]): Violation[] {
  return found.filter((v) => v.impact === 'critical' || v.impact === 'serious')
}

/** One line per violation: "rule (impact) ×count: help — first targets". */
export function describeViolation(v: Violation, where = ''): string {
  return `${where ? where + ': ' : ''}${v.rule} (${v.impact}) ×${v.targets.length}: ${v.help} — ${v.targets.slice(0, 3).join(' | ')}`
}
