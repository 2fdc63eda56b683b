// What the relay thread in front of a lowered training worker costs (src-main/worker-relay.ts): start-up time
// (until the worker's first message), the round trip of a small message and of a 1.7 MB Float32Array (the
// size of SimpleConvNet's weights) handed over both ways, and the memory of the extra thread; each against
// the same worker started directly. Not a test: run it under the benchmark lock.
//
//   flock -x /tmp/bench.lock node scripts/relay-costs.mjs
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { build } from 'rolldown'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const file = join(mkdtempSync(join(tmpdir(), 'relay-costs-')), 'relay.cjs')
await build({ input: join(root, 'src-main/worker-relay.ts'), platform: 'node', external: [/^node:/], output: { file, format: 'cjs' }, write: true, logLevel: 'silent' })
const { startRelayed } = createRequire(import.meta.url)(file)

// Says hello, then echoes every message, handing its array back.
const echo = new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads'
parentPort.postMessage('hello')
parentPort.on('message', (m) => parentPort.postMessage(m, m.data ? [m.data.buffer] : []))`)}`)

const kinds = { direct: () => new Worker(echo), relayed: () => startRelayed(echo) }
const next = (w) => new Promise((r) => w.once('message', r))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * (xs.length - 1))]
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d

const out = {}
for (const [kind, start] of Object.entries(kinds)) {
  const startMs = []
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now()
    const w = start()
    await next(w)
    startMs.push(performance.now() - t0)
    await w.terminate()
  }
  const w = start()
  await next(w)
  const smallUs = []
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now()
    w.postMessage({ type: 'ping', i })
    await next(w)
    if (i >= 500) smallUs.push((performance.now() - t0) * 1000)
  }
  const bigMs = []
  let data = new Float32Array(433_890)
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now()
    w.postMessage({ type: 'weights', data }, [data.buffer])
    data = (await next(w)).data
    if (i >= 20) bigMs.push(performance.now() - t0)
  }
  await w.terminate()
  out[kind] = { startMs: round(median(startMs)), smallRoundTripUs: round(median(smallUs)), smallP99Us: round(p99(smallUs)), bigRoundTripMs: round(median(bigMs), 2) }
}

// Memory: the resident size grown by 8 live workers of each kind, per worker.
for (const [kind, start] of Object.entries(kinds)) {
  await new Promise((r) => setTimeout(r, 500))
  const before = process.memoryUsage().rss
  const ws = Array.from({ length: 8 }, start)
  await Promise.all(ws.map(next))
  await new Promise((r) => setTimeout(r, 500))
  out[kind].rssPerWorkerMB = round((process.memoryUsage().rss - before) / 8 / 2 ** 20)
  await Promise.all(ws.map((w) => w.terminate()))
}
console.log(`# relay-costs ${new Date().toISOString()} load ${loadavg()[0].toFixed(2)}`)
for (const [kind, v] of Object.entries(out)) console.log(JSON.stringify({ kind, ...v }))
process.exit(0)
