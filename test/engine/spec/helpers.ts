import { expect } from 'vitest'
import type { SpecIssue, SpecReport } from '../../../src-engine/spec-types'

/** The only issue with this code (fails, listing every issue, when there is none or several). */
export function only(report: SpecReport, code: string): SpecIssue {
  const found = report.issues.filter((i) => i.code === code)
  expect(found.length, `issues with code ${code} among:\n${report.issues.map((i) => `${i.code}: ${i.message}`).join('\n')}`).toBe(1)
  return found[0]
}

/** Codes of all issues, for "nothing else went wrong" checks. */
export function codes(report: SpecReport): string[] {
  return report.issues.map((i) => i.code)
}
