/** Runs a short Python/NumPy script when python3 with numpy is installed (cross-checks), else reports absence. */
import { execFileSync, spawnSync } from 'node:child_process'

export const haveNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0
if (!haveNumpy) console.warn('NumPy cross-checks skipped: python3 with numpy is not installed')

/** Run `code` with numpy imported as np; returns stdout. */
export function python(code: string): string {
  return execFileSync('python3', ['-c', `import numpy as np, json, sys\n${code}`], { encoding: 'utf8' }).trim()
}
