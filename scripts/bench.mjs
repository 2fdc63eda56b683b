// `npm run bench`: the lab's engine against the reference libraries on workloads W1–W5 (issue 4),
// in one run, so that the ratios compare figures taken under the same machine load.
//
//   npm run bench [-- --json] [--quick] [--workloads W1,W3] [--systems lab,pytorch] [--threads 1,2]
//   npm run bench -- --table-from run.jsonl   (the table of an earlier --json run, without measuring)
//
// Builds what it needs first: the WebAssembly kernels (scripts/build-wasm.mjs, skipped when fresh) and
// out/bench/lab.cjs, a bundle of bench/lab.ts with the engine (rolldown, rebuilt when any engine or bench
// source is newer). Every (workload, system, threads) cell runs in its own process, one after another;
// a reference that fails, times out or is not installed yields a line with "error" instead of "value".
// With --json, stdout carries only one JSON object per line; otherwise a table (progress on stderr).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
/** The argument after --name, whole (a path may hold commas), or undefined. */
const value = (name) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : undefined
}
const list = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < argv.length ? argv[i + 1].split(',').map((s) => s.trim()).filter(Boolean) : dflt
}
if (flag('help')) {
  process.stdout.write('usage: npm run bench -- [--json] [--quick] [--workloads W1,..,W5] [--systems lab,pytorch,tfjs-wasm,tfjs-cpu,convnetjs] [--threads 1,2]\n       npm run bench -- --table-from run.jsonl   (print the table of an earlier --json run)\n')
  process.exit(0)
}
const JSON_OUT = flag('json')
const QUICK = flag('quick')
const ALL_WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5']
const ALL_SYSTEMS = ['lab', 'pytorch', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs']
const workloads = list('workloads', ALL_WORKLOADS)
const systems = list('systems', ALL_SYSTEMS)
const threadCounts = list('threads', ['1', '2']).map(Number)
for (const w of workloads) if (!ALL_WORKLOADS.includes(w)) fail(`unknown workload "${w}" (use ${ALL_WORKLOADS.join(', ')})`)
for (const s of systems) if (!ALL_SYSTEMS.includes(s)) fail(`unknown system "${s}" (use ${ALL_SYSTEMS.join(', ')})`)
for (const t of threadCounts) if (!(Number.isInteger(t) && t >= 1)) fail(`--threads takes whole numbers ≥ 1, got "${t}"`)
const TIMEOUT_MS = QUICK ? 180_000 : 600_000

const UNITS = { W1: 'images/s', W2: 'images/s', W3: 'sequences/s', W4: 'sequences/s', W5: 'GFLOPS' }
/**
 * Metrics each runner is expected to report for (workload, threads, system); batch-1 inference on one thread
 * only. Without `system`, the metrics of any system (the table's rows).
 */
function metricsOf(w, threads, system) {
  const lab = (system ?? 'lab') === 'lab' // the lab's own metrics: asked of the lab, or of any system
  // fma_peak: the lab's FMA-only ceiling for the W5 figures, on as many threads as they used (bench/lab.ts)
  if (w === 'W5') return ['gflops_256', 'gflops_512', 'gflops_1024', ...(lab ? ['fma_peak'] : [])]
  if (w === 'W1' && threads === 1) return ['train', 'infer_b1']
  // speedup: the lab's N threads ÷ 1 thread in alternating windows of one process (bench/lab.ts pairedSpeedup)
  return threads > 1 && lab ? ['train', 'speedup'] : ['train']
}
const unitOf = (w, metric) => (metric === 'infer_b1' ? 'ms' : metric === 'speedup' ? '×' : UNITS[w])

function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`)
  process.exit(2)
}
const progress = (msg) => process.stderr.write(`${msg}\n`)

// ---- build -------------------------------------------------------------------------------------

function newestMtime(dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) t = Math.max(t, newestMtime(p))
    else if (/\.(ts|mts|mjs|js)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs)
  }
  return t
}

async function buildLab() {
  const wasm = spawnSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  if (wasm.status !== 0) fail('building the WebAssembly kernels failed (node scripts/build-wasm.mjs)')
  const out = join(root, 'out', 'bench', 'lab.cjs')
  const sources = Math.max(newestMtime(join(root, 'src-engine')), newestMtime(join(root, 'bench')), statSync(fileURLToPath(import.meta.url)).mtimeMs)
  if (existsSync(out) && statSync(out).mtimeMs > sources) return out
  progress('bench: bundling the engine (bench/lab.ts → out/bench/lab.cjs)')
  mkdirSync(dirname(out), { recursive: true })
  const { build } = require('rolldown')
  await build({
    input: join(root, 'bench', 'lab.ts'),
    platform: 'node',
    logLevel: 'warn',
    output: { file: out, format: 'cjs' }
  })
  return out
}

/** Node flags for the lab: relaxed SIMD (fused multiply-add) is behind a flag in Node 20's V8. */
function nodeFlags() {
  const probe = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', '0'], { stdio: 'ignore' })
  return probe.status === 0 ? ['--experimental-wasm-relaxed-simd'] : []
}

function findPython() {
  // Debian's interpreter first: python3-torch installs into its dist-packages, not into a pyenv one
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' })
    if (r.status === 0) return py
  }
  return null
}

// ---- running ------------------------------------------------------------------------------------

/** Runs one cell; resolves with its result lines (missing metrics filled in as errors). */
function runCell(cell) {
  return new Promise((resolveCell) => {
    const results = []
    const expected = metricsOf(cell.workload, cell.threads, cell.system)
    const finish = (why) => {
      for (const metric of expected) {
        if (!results.some((r) => r.metric === metric)) {
          results.push({ workload: cell.workload, metric, system: cell.system, threads: cell.threads, error: why, unit: unitOf(cell.workload, metric) })
        }
      }
      resolveCell(results)
    }
    if (cell.unavailable) return finish(cell.unavailable)
    const child = spawn(cell.cmd, cell.args, { cwd: root, env: cell.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let buf = ''
    let err = ''
    child.stdout.on('data', (d) => {
      buf += d
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (!line.startsWith('{')) continue
        try {
          const r = JSON.parse(line)
          if (r.system === cell.system && expected.includes(r.metric)) results.push(r)
        } catch { /* not a result line */ }
      }
    })
    child.stderr.on('data', (d) => { err = (err + d).slice(-4000) })
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS)
    child.on('error', (e) => {
      clearTimeout(timer)
      finish(`could not start: ${e.message}`)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const last = err.trim().split('\n').filter((l) => l.trim() && !/^\s+at /.test(l)).pop() ?? ''
      finish(signal === 'SIGKILL' ? `timed out after ${TIMEOUT_MS / 1000} s` : code === 0 ? 'no result reported' : `exited with code ${code}${last ? `: ${last.trim()}` : ''}`)
    })
  })
}

function cellsFor(w, ctx) {
  const quick = QUICK ? ['--quick'] : []
  const cells = []
  for (const system of systems) {
    const threadList = system === 'lab' || system === 'pytorch' ? threadCounts : [1]
    for (const threads of [...new Set(threadList)]) {
      const base = { workload: w, system, threads }
      if (system === 'lab') {
        cells.push({ ...base, cmd: process.execPath, args: [...ctx.nodeFlags, ctx.lab, '--workload', w, '--threads', String(threads), ...quick] })
      } else if (system === 'pytorch') {
        // OpenBLAS on one thread beside PyTorch's own pool (two pools compete), except for W5: torch.mm is one
        // OpenBLAS call that PyTorch's pool takes no part in, so there OpenBLAS's threads are the threads
        const env = { ...process.env, OPENBLAS_NUM_THREADS: w === 'W5' ? String(threads) : '1', OMP_NUM_THREADS: String(threads) }
        delete env.OPENBLAS_CORETYPE
        delete env.OPENBLAS_L2_SIZE
        cells.push(ctx.python
          ? { ...base, cmd: ctx.python, args: [join(root, 'bench', 'torch_twin.py'), '--workload', w, '--threads', String(threads), ...quick], env }
          : { ...base, unavailable: 'not installed (apt-get install python3-torch libopenblas0-pthread)' })
      } else if (system === 'tfjs-wasm' || system === 'tfjs-cpu') {
        cells.push({ ...base, cmd: process.execPath, args: [join(root, 'bench', 'tfjs.mjs'), '--backend', system.slice(5), '--workload', w, ...quick] })
      } else {
        cells.push({ ...base, cmd: process.execPath, args: [join(root, 'bench', 'convnetjs.mjs'), '--workload', w, ...quick] })
      }
    }
  }
  return cells
}

// ---- table --------------------------------------------------------------------------------------

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2))

/** Speed ratio lab ÷ reference (for latencies, reference ms ÷ lab ms, so > 1 always means the lab is faster). */
function ratio(lab, ref, metric, key = 'value') {
  if (!lab || !ref || lab[key] === undefined || ref[key] === undefined) return null
  return metric === 'infer_b1' ? ref[key] / lab[key] : lab[key] / ref[key]
}

function table(results, meta, ws = workloads) {
  const get = (w, m, s, t) => results.find((r) => r.workload === w && r.metric === m && r.system === s && r.threads === t)
  const cols = []
  for (const s of systems) {
    const ts = s === 'lab' || s === 'pytorch' ? [...new Set(threadCounts)] : [1]
    for (const t of ts) cols.push({ s, t, label: `${s} ${t}t` })
  }
  const rows = []
  const notes = new Map()
  for (const w of ws) {
    for (const m of [...new Set(threadCounts.flatMap((t) => metricsOf(w, t)))]) {
      const cells = cols.map(({ s, t }) => {
        const r = get(w, m, s, t)
        if (!r) return ''
        if (r.error !== undefined) {
          if (!notes.has(r.error)) notes.set(r.error, notes.size + 1)
          return `✗[${notes.get(r.error)}]`
        }
        return fmt(r.value) + (r.note ? '*' : '')
      })
      rows.push([w, m, unitOf(w, m), ...cells])
    }
  }
  const head = ['workload', 'metric', 'unit', ...cols.map((c) => c.label)]
  const lines = [`Backprop Lab benchmarks — ${meta.when}`, `machine: ${meta.machine}`, `load average (1 min): ${meta.loadBefore} before, ${meta.loadAfter} after${QUICK ? '   [--quick: smoke-test figures, not measurements]' : ''}`, '']
  lines.push(...grid([head, ...rows], 3))
  // ratios: lab on the same number of threads as the reference (references without threads: lab 1 thread)
  const refs = cols.filter((c) => c.s !== 'lab')
  const rhead = ['workload', 'metric', ...refs.map((c) => `÷ ${c.label}`), 'lab 2t÷1t']
  const rrows = []
  for (const w of ws) {
    for (const m of [...new Set(threadCounts.flatMap((t) => metricsOf(w, t)))]) {
      if (m === 'speedup') continue // shown beside the two cells' ratio on the train row
      const cells = refs.map(({ s, t }) => {
        const lab = get(w, m, 'lab', t)
        const ref = get(w, m, s, t)
        const wall = ratio(lab, ref, m)
        const cpu = ratio(lab, ref, m, 'cpu')
        return wall === null ? '' : `${wall.toFixed(2)}` + (cpu === null ? '' : ` (${cpu.toFixed(2)})`)
      })
      const sp = ratio(get(w, m, 'lab', 2), get(w, m, 'lab', 1), m)
      const paired = m === 'train' ? get(w, 'speedup', 'lab', 2) : undefined
      const spText = sp === null || m === 'infer_b1' ? '' : sp.toFixed(2)
      rrows.push([w, m, ...cells, spText + (paired?.value !== undefined ? ` (paired ${paired.value.toFixed(2)})` : '')])
    }
  }
  lines.push('', 'Ratios lab ÷ reference (speed; > 1 = the lab is faster), wall clock (and per CPU second in brackets);', 'lab 2t÷1t: the two cells\' ratio (and, paired, the median ratio of alternating one- and two-thread windows in one process):', '')
  lines.push(...grid([rhead, ...rrows], 2))
  const starred = results.filter((r) => r.note && r.error === undefined)
  if (starred.length > 0 || notes.size > 0) lines.push('')
  for (const n of [...new Set(starred.map((r) => `* ${r.system} ${r.workload}: ${r.note}`))]) lines.push(n)
  for (const [msg, i] of notes) lines.push(`✗[${i}] ${msg}`)
  return lines.join('\n')
}

/** A Markdown table; the first `labels` columns left-aligned, the figures right-aligned. */
function grid(rows, labels) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  const line = (r) => `| ${r.map((c, i) => (i < labels ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`
  return [line(rows[0]), `|${widths.map((w, i) => (i < labels ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)]
}

// ---- main ---------------------------------------------------------------------------------------

const la = () => loadavg().map((x) => x.toFixed(2)).join(' ')
const tableFrom = value('table-from')
if (tableFrom !== undefined) {
  // The table of an earlier `--json` run: its lines as saved; when = the file's time; the machine and the load are
  // not in the JSON lines (the run printed them on stderr), so the table says so rather than guess.
  let saved
  try {
    // npm's own banner ("> backprop-lab@… bench") lands on stdout before the JSON lines when run as `npm run bench`
    saved = readFileSync(tableFrom, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('>')).map((l, i) => {
      try {
        return JSON.parse(l)
      } catch {
        fail(`${tableFrom} line ${i + 1} is not JSON: write the file with \`npm run bench -- --json > file\``)
      }
    })
  } catch (e) {
    fail(`cannot read ${tableFrom}: ${e.message}`)
  }
  const when = statSync(tableFrom).mtime.toISOString().replace(/\.\d+Z$/, 'Z')
  const from = { when: `${when} (written to ${tableFrom})`, machine: 'not recorded in the JSON lines (the run printed it on stderr)', loadBefore: 'not recorded', loadAfter: 'not recorded' }
  // only the workloads the file holds (a `--workloads W1` run's table has no empty W2–W5 rows)
  process.stdout.write(`${table(saved, from, ALL_WORKLOADS.filter((w) => saved.some((r) => r.workload === w)))}\n`)
  process.exit(0)
}
const meta = {
  when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${process.platform}`,
  loadBefore: la(),
  loadAfter: ''
}
const ctx = {
  lab: systems.includes('lab') ? await buildLab() : '',
  nodeFlags: nodeFlags(),
  python: systems.includes('pytorch') ? findPython() : null
}
const results = []
for (const w of workloads) {
  for (const cell of cellsFor(w, ctx)) {
    progress(`bench: ${w} ${cell.system} ${cell.threads} thread${cell.threads === 1 ? '' : 's'}…`)
    for (const r of await runCell(cell)) {
      results.push(r)
      if (JSON_OUT) process.stdout.write(`${JSON.stringify(r)}\n`)
      else progress(`  ${r.metric}: ${r.error !== undefined ? `error: ${r.error}` : `${fmt(r.value)} ${r.unit}`}`)
    }
  }
}
meta.loadAfter = la()
if (!JSON_OUT) process.stdout.write(`${table(results, meta)}\n`)
else progress(`bench: load average ${meta.loadBefore} before, ${meta.loadAfter} after; ${meta.machine}`)
