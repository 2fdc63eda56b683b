// The web shell's memory over a session with one big run (Q: a stopped 64-filter convolution run at mini-batch
// 4,096 left the process at 2.68 GB): the host process's resident size (it holds the host and every engine thread)
// at start, after a big run is stopped, after a small run, and idle; the time from Start to the small run's first
// batch; and whether the held model still predicts. Runs the sources as they stand (bundled with rolldown), a
// LabHost as the web shell makes it. Not a test: run it under the benchmark lock.
//
//   flock -x /tmp/bench.lock node scripts/memory-after-run.mjs [--threads 2] [--batch 4096] [--preset keras-cnn]
import { mkdtempSync, readFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'rolldown'

const { values: args } = parseArgs({ options: { threads: { type: 'string', default: '2' }, batch: { type: 'string', default: '4096' }, preset: { type: 'string', default: 'keras-cnn' }, cost: { type: 'string' } } })
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'memory-after-run-'))
const bundle = async (entry, file) => {
  await build({ input: join(root, entry), platform: 'node', external: [/^node:/], output: { file: join(dir, file), format: 'esm' }, write: true, logLevel: 'silent' })
  return join(dir, file)
}
const workerPath = await bundle('src-engine/worker.ts', 'worker.mjs')
const { LabHost } = await import(pathToFileURL(await bundle('src-main/lab-host.ts', 'host.mjs')).href)
const { PRESETS } = await import(pathToFileURL(await bundle('src-engine/models/presets.ts', 'presets.mjs')).href)

const rssMB = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const spec = (id) => PRESETS.find((p) => p.id === id).spec
const host = new LabHost({ workerPath, transport: 'web', version: 'bench' })
const events = []
let waiter = null
host.onEvent((e) => {
  events.push({ at: performance.now(), e })
  if (waiter && waiter.pred(e)) { const w = waiter; waiter = null; w.resolve(e) }
})
const waitFor = (pred, ms = 600_000) => {
  const hit = events.find((x) => pred(x.e))
  if (hit) return Promise.resolve(hit.e)
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), ms)
    waiter = { pred, resolve: (e) => { clearTimeout(t); resolve(e) } }
  })
}
const settings = (over) => ({ data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1, ...over })
const rows = []
const mark = (phase, extra = {}) => { rows.push({ phase, rssMB: rssMB(), ...extra }); console.log(JSON.stringify(rows.at(-1))) }

// --cost N: what retiring costs the next run (lab-host.ts retireIfSpare). N rounds of a small run, then the same run
// again on a host that kept its thread and on one that retired it after the first (spareMemoryBytes 0): the time
// from Start to the second run's first batch on each, and how long the move took after the first run's end.
if (args.cost) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const out = { kept: [], retired: [], moveMs: [] }
  for (let i = 0; i < Number(args.cost); i++) {
    for (const spare of [Infinity, 0]) {
      const h = new LabHost({ workerPath, transport: 'web', version: 'bench', spareMemoryBytes: spare })
      const seen = []
      h.onEvent((e) => seen.push(e))
      const until = async (pred) => { while (!seen.some(pred)) await sleep(2) }
      const s = settings({ batchSize: 100, threads: Number(args.threads) })
      const r1 = await h.startRun(spec('mlp'), s)
      await until((e) => e.type === 'state' && e.runId === r1.value.runId && e.state === 'done')
      const endAt = performance.now()
      const thread = h.workerThreadId
      if (spare === 0) {
        while (h.workerThreadId === thread) await sleep(1)
        await h.getModel()
        out.moveMs.push(performance.now() - endAt)
      } else await sleep(300)
      await sleep(200)
      const t0 = performance.now()
      const r2 = await h.startRun(spec('mlp'), s)
      await until((e) => e.type === 'batches' && e.runId === r2.value.runId)
      out[spare === 0 ? 'retired' : 'kept'].push(performance.now() - t0)
      await h.dispose()
    }
  }
  console.log(JSON.stringify({ threads: Number(args.threads), rounds: Number(args.cost), firstBatchKeptMs: Math.round(median(out.kept)), firstBatchRetiredMs: Math.round(median(out.retired)), moveMs: Math.round(median(out.moveMs)), all: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.map(Math.round)])) }))
  console.log(`# memory-after-run --cost ${new Date().toISOString()} load ${loadavg()[0].toFixed(2)}`)
  process.exit(0)
}
mark('start')
const ended = (runId) => (e) => e.type === 'state' && e.runId === runId && ['done', 'stopped', 'failed'].includes(e.state)
async function run(id, over, stopAfterFirst) {
  events.length = 0
  const t0 = performance.now()
  const r = await host.startRun(spec(id), settings(over))
  if (!r.ok) throw new Error(r.error.message)
  const runId = r.value.runId
  await waitFor((e) => e.type === 'batches' && e.runId === runId)
  const firstBatchMs = Math.round(performance.now() - t0)
  if (stopAfterFirst) host.stop()
  const end = await waitFor(ended(runId))
  const error = events.find((x) => x.e.type === 'error')
  return { firstBatchMs, state: end.state, ...(error ? { error: error.e.message } : {}) }
}
const first = await run('mlp', { batchSize: 100, threads: Number(args.threads) }, false)
mark('small run done (mlp, batch 100; the first: a new thread, the digits loaded)', first)
const again = await run('mlp', { batchSize: 100, threads: Number(args.threads) }, false)
mark('small run done again (the same thread)', again)
const big = await run(args.preset, { batchSize: Number(args.batch), threads: Number(args.threads) }, true)
mark(`big run stopped (${args.preset}, batch ${args.batch}, ${args.threads} threads)`, big)
await sleep(3000)
mark('3 s later')
const samples = await host.samples(4, 1)
const p1 = await host.predict(samples.value.images[0])
mark('predict with the big run\'s model', { ok: p1.ok, top: p1.ok ? p1.value.probs.indexOf(Math.max(...p1.value.probs)) : p1.error.message })
const small = await run('mlp', { batchSize: 100, threads: Number(args.threads) }, false)
mark('small run done (mlp, batch 100) after the big run', small)
await sleep(5000)
mark('idle 5 s')
await host.dispose()
await sleep(1000)
mark('host disposed')
console.log(`# memory-after-run ${new Date().toISOString()} load ${loadavg()[0].toFixed(2)}`)
process.exit(0)
