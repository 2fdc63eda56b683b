#!/usr/bin/env node
/**
 * `npm run test:e2e`: every end-to-end test, in two phases, each a Playwright run of its own
 * (test/e2e/playwright.config.ts; `npm run build` first).
 *
 * 1. pages: the tests tagged @pages, which train nothing and time nothing (the shell, the lessons, the walk, the
 *    layout checks), two at a time. One at a time they kept about 0.6 of a core busy (the browser, the web shell and
 *    Playwright together: 114 s of CPU time for tests that took 199 s at CI on 27 November): the second core sat idle.
 * 2. training: all the others, one at a time as before: a test that puts the training thread to work needs both cores
 *    for itself (the thread runs at idle priority, and a test beside it would starve it: a run, and the gradient
 *    check's explainer too), and some time frames and stalls. test/main/e2e-phases.test.ts checks the tags.
 *
 * Both phases always run; the step fails when either does. Arguments are passed to both (a spec's file name runs its
 * tests in whichever phase they belong to), except a title filter's, which makes one run (phases()). BACKPROP_LAB_E2E_PAGE_WORKERS sets how many @pages tests run at once
 * (1: one at a time, as before). Each phase writes its own results and report (out/e2e/report/pages, …/training).
 */
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const config = join(root, 'test/e2e/playwright.config.ts')

/** The tag of the tests that train nothing and time nothing. */
export const PAGES_TAG = '@pages'

/**
 * The phases, in order: a name and the arguments that pick its tests and say how many run at once. Arguments that pick
 * tests by title themselves (`-g README`, `--grep-invert …`) make one run, one test at a time: Playwright keeps only the
 * last --grep, so each phase would have run all the tests they pick, the pages phase two at a time, training ones too.
 */
export function phases(env = process.env, extra = []) {
  if (extra.some((a) => /^(-g|--grep|--grep-invert)(=|$)/.test(a))) return [['selected', ['--workers', '1']]]
  const pageWorkers = Math.max(1, Number(env.BACKPROP_LAB_E2E_PAGE_WORKERS) || Math.min(2, availableParallelism()))
  return [
    ['pages', ['--grep', PAGES_TAG, '--workers', String(pageWorkers), '--fully-parallel']],
    ['training', ['--grep-invert', PAGES_TAG, '--workers', '1']]
  ]
}

/** Runs one phase with `extra` arguments; resolves with its exit code. */
function run([name, args], extra) {
  const started = performance.now()
  console.log(`\n=== end-to-end, ${name} (${args.join(' ')})`)
  return new Promise((done) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'playwright'), ['test', '-c', config, ...args, '--pass-with-no-tests', ...extra], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, BACKPROP_LAB_E2E_PHASE: name }
    })
    const finish = (code, why = '') => {
      console.log(`=== end-to-end, ${name}: ${code === 0 ? 'passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(1)} s${why}`)
      done(code)
    }
    child.on('error', (e) => finish(1, ` (could not start: ${e.message})`))
    child.on('close', (code, signal) => finish(code ?? 1, signal ? ` (killed by ${signal})` : ''))
  })
}

async function main() {
  // one run id for both phases (the config names their folders after it)
  process.env.BACKPROP_LAB_E2E_RUN ??= process.env.CI ? 'ci' : `${Date.now()}-${process.pid}`
  const failed = []
  for (const phase of phases(process.env, process.argv.slice(2))) if ((await run(phase, process.argv.slice(2))) !== 0) failed.push(phase[0])
  if (failed.length) {
    console.error(`\ntest:e2e: the ${failed.join(' and ')} phase${failed.length > 1 ? 's' : ''} failed`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
