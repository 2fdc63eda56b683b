/**
 * `npm run bench -- --quick --json` end to end on a small selection: the lab on 1 and 2 threads and
 * TensorFlow.js's WASM backend, which cannot train W1 (so a failed reference line is exercised too).
 * Checks the line format of issue 4, not the speed.
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const root = resolve(__dirname, '../../..')

interface Line {
  workload: string; metric: string; system: string; threads: number; unit: string
  value?: number; error?: string; cpu?: number; note?: string
}

function runBench(args: string[]): { lines: Line[]; raw: string[]; status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/bench.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 280_000 })
  const raw = r.stdout.split('\n').filter((l) => l.trim() !== '')
  return { raw, lines: raw.map((l) => JSON.parse(l) as Line), status: r.status, stderr: r.stderr }
}

describe('npm run bench --quick --json', () => {
  it('prints one well-formed object per line for every cell, errors included', () => {
    const { lines, raw, status, stderr } = runBench(['--quick', '--json', '--workloads', 'W1', '--systems', 'lab,tfjs-wasm', '--threads', '1,2'])
    expect(status, stderr).toBe(0)
    expect(raw.every((l) => l.startsWith('{') && l.endsWith('}'))).toBe(true)
    for (const l of lines) {
      expect(Object.keys(l).slice(0, 4)).toEqual(['workload', 'metric', 'system', 'threads'])
      expect(['lab', 'pytorch', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs']).toContain(l.system)
      expect(Number.isInteger(l.threads) && l.threads >= 1).toBe(true)
      expect(l.unit).toBe(l.metric === 'infer_b1' ? 'ms' : l.metric === 'speedup' ? '×' : 'images/s')
      // exactly one of value / error
      expect(('value' in l) !== ('error' in l)).toBe(true)
      if ('value' in l) expect(Number.isFinite(l.value) && l.value! > 0).toBe(true)
      else expect(typeof l.error === 'string' && l.error.length > 0).toBe(true)
    }
    const key = (l: Line): string => `${l.system}/${l.threads}/${l.metric}`
    expect(lines.map(key).sort()).toEqual(['lab/1/infer_b1', 'lab/1/train', 'lab/2/speedup', 'lab/2/train', 'tfjs-wasm/1/infer_b1', 'tfjs-wasm/1/train'])
    // the lab trains W1 on both thread counts; TensorFlow.js's WASM backend has no convolution-filter gradient
    for (const l of lines.filter((x) => x.system === 'lab')) expect(l.value, JSON.stringify(l)).toBeGreaterThan(0)
    // the paired two ÷ one thread figure says how it was taken
    expect(lines.find((l) => l.metric === 'speedup')!.note).toMatch(/alternating 1-thread\/2-thread window pairs/)
    const tfTrain = lines.find((l) => l.system === 'tfjs-wasm' && l.metric === 'train')!
    expect(tfTrain.error).toMatch(/Conv2DBackpropFilter/)
  }, 300_000)

  it('W5: the products and their FMA-only ceiling (fma_peak) on each thread count, the 2-thread one summed over both threads', () => {
    const { lines, status, stderr } = runBench(['--quick', '--json', '--workloads', 'W5', '--systems', 'lab', '--threads', '1,2'])
    expect(status, stderr).toBe(0)
    const key = (l: Line): string => `${l.threads}/${l.metric}`
    expect(lines.map(key).sort()).toEqual(['1/fma_peak', '1/gflops_1024', '1/gflops_256', '1/gflops_512', '2/fma_peak', '2/gflops_1024', '2/gflops_256', '2/gflops_512'])
    for (const l of lines) {
      expect(l.unit).toBe('GFLOPS')
      expect(l.value, JSON.stringify(l)).toBeGreaterThan(0)
    }
    expect(lines.find((l) => l.threads === 2 && l.metric === 'fma_peak')!.note).toMatch(/2 threads at once, summed/)
  }, 300_000)

  it('--table-from prints the table of a saved --json run (npm banner lines skipped) and names a line that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-table-'))
    // a name with a comma: the path is read whole (it was split as a list, and 'run' was not found)
    const file = join(dir, 'run, 2 threads.jsonl')
    const saved = [
      '', '> backprop-lab@0.1.0 bench', '> node scripts/bench.mjs --json', '',
      JSON.stringify({ workload: 'W1', metric: 'train', system: 'lab', threads: 1, value: 4000, unit: 'images/s', cpu: 4000 }),
      JSON.stringify({ workload: 'W1', metric: 'train', system: 'pytorch', threads: 1, value: 2000, unit: 'images/s', cpu: 1000 }),
      JSON.stringify({ workload: 'W1', metric: 'train', system: 'tfjs-wasm', threads: 1, error: 'Kernel X not registered', unit: 'images/s' })
    ]
    writeFileSync(file, saved.join('\n'))
    const ok = spawnSync(process.execPath, ['scripts/bench.mjs', '--table-from', file], { cwd: root, encoding: 'utf8' })
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/\| W1 +\| train +\| images\/s +\| +4,000 \|/)
    // lab ÷ pytorch on one thread: 2.00 wall clock, 4.00 per CPU second
    expect(ok.stdout).toMatch(/\| +2\.00 \(4\.00\) \|/)
    expect(ok.stdout).toMatch(/✗\[1\] Kernel X not registered/)
    // only the workloads the file holds: no empty W2–W5 rows
    expect(ok.stdout).not.toMatch(/\| W2 /)
    writeFileSync(file, `${saved[4]}\nnot json\n`)
    const bad = spawnSync(process.execPath, ['scripts/bench.mjs', '--table-from', file], { cwd: root, encoding: 'utf8' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/line 2 is not JSON/)
  })

  it('rejects an unknown workload with a usage error', () => {
    const { status, stderr } = runBench(['--quick', '--json', '--workloads', 'W9'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/unknown workload "W9"/)
  })
})
