#!/usr/bin/env node
/**
 * `npm run typecheck`: every type check the project has, two at a time.
 *
 * Each of tsc and svelte-check runs on one core, so one after another they left the second core idle
 * for the whole step (51 s on the 2-core machine; about 26 s two at a time). Every check still runs in
 * full with its own tsconfig; a check's output is printed in one piece when it ends (so two checks'
 * lines never interleave), and the step fails when any check fails, after all have ended.
 * BACKPROP_LAB_TYPECHECK_JOBS sets how many run at once (1: one after another, as before).
 */
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

/** The checks, longest first (times on the 2-core machine), so the two lanes end close together. */
export const CHECKS = [
  ['svelte-check', '--tsconfig', './test/tsconfig.ui.json', '--fail-on-warnings'], // 15 s
  ['svelte-check', '--tsconfig', './src-renderer/tsconfig.json', '--fail-on-warnings'], // 11 s
  ['tsc', '-p', 'test', '--noEmit'], // 10 s
  ['tsc', '-p', 'src-main', '--noEmit'], // 6 s
  ['tsc', '-p', 'src-engine', '--noEmit'], // 4.5 s
  ['tsc', '-p', 'test/e2e', '--noEmit'] // 4.5 s
]

/** Runs one check; resolves with its exit code once it has printed its output in one piece. */
function run([tool, ...args]) {
  const started = performance.now()
  return new Promise((done) => {
    const child = spawn(bin(tool), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks = []
    child.stdout.on('data', (d) => chunks.push(d))
    child.stderr.on('data', (d) => chunks.push(d))
    const finish = (code, why = '') => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const head = `${code === 0 ? 'ok' : 'FAILED'}: ${tool} ${args.join(' ')} (${seconds} s)${why}`
      process.stdout.write(`\n${head}\n${Buffer.concat(chunks).toString('utf8')}`)
      done(code)
    }
    child.on('error', (e) => finish(1, ` — could not start: ${e.message}`))
    child.on('close', (code, signal) => finish(code ?? 1, signal ? ` — killed by ${signal}` : ''))
  })
}

const jobs = Math.max(1, Number(process.env.BACKPROP_LAB_TYPECHECK_JOBS) || Math.min(2, availableParallelism()))
const queue = [...CHECKS]
const failed = []
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let check = queue.shift(); check; check = queue.shift()) if ((await run(check)) !== 0) failed.push(check.join(' '))
  })
)
if (failed.length) {
  console.error(`\ntypecheck: ${failed.length} of ${CHECKS.length} checks failed: ${failed.join('; ')}`)
  process.exit(1)
}
console.log(`\ntypecheck: all ${CHECKS.length} checks passed`)
