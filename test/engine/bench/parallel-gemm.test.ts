import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimRows, columnPartWidth, columnSchedule, gemmOperand, ownsPart, parallelGemm, type ParallelGemm } from '../../../bench/lib/parallel-gemm'
import { releaseKernelArray, wasmGemm } from '../../../src-engine/kernels/gemm'
import { Rng } from '../../../src-engine/rng'
import { bundleWorker } from '../../helpers/bundle'

/**
 * W5's product on two and three threads against float64 dot products, on shapes that take each schedule:
 * the column parts (N = 65, 1024, 1030 at K = 600; N = 1024 at K = 1024, the bench's, parts of exactly one
 * L2) and the row blocks (N = 1 and 7, too narrow to split; N = 1030 at K = 1024, parts over one L2), with
 * edge tiles, a second short depth slab (K = 600) and row counts that end mid-block (65, 1030).
 */
describe('parallelGemm (W5 on several threads)', () => {
  let entry = ''
  const pools = new Map<number, ParallelGemm>()

  beforeAll(async () => {
    entry = await bundleWorker('test/engine/bench/gemm-tile-entry.ts')
  }, 60_000)

  afterAll(async () => {
    for (const pg of pools.values()) await pg.close()
  })

  async function pool(threads: number): Promise<ParallelGemm> {
    let pg = pools.get(threads)
    if (!pg) {
      pg = await parallelGemm(threads, entry)
      pools.set(threads, pg)
    }
    return pg
  }

  /** Rows of C checked in full against the oracle: up to 8 all, else the first and last of every 60-row block (the claims), the last and a few more. */
  function checkedRows(M: number, rng: Rng): number[] {
    if (M <= 8) return [...Array(M).keys()]
    const rows = new Set<number>([M - 1])
    for (let r = 0; r < M; r += 60) rows.add(r).add(Math.min(M - 1, r + 59))
    for (let s = 0; s < 4; s++) rows.add(rng.int(M))
    return [...rows]
  }

  it('takes the row schedule by default, on shapes the column one fits too', async () => {
    const pg = await pool(2)
    pg.columnParts(false)
    expect(pg.noteFor(1024, 1024)).toBe(pg.note)
    const M = 130, N = 1030, K = 600
    const A = gemmOperand(M * K), B = gemmOperand(K * N), C = gemmOperand(M * N)
    try {
      const rng = new Rng(3)
      for (let i = 0; i < A.length; i++) A[i] = rng.next() - 0.5
      for (let i = 0; i < B.length; i++) B[i] = rng.next() - 0.5
      C.fill(Number.NaN)
      pg.gemm(C, A, B, M, N, K)
      const rows = C.slice()
      // the column schedule gives the same sums in the same order, bit for bit
      pg.columnParts(true)
      C.fill(Number.NaN)
      pg.gemm(C, A, B, M, N, K)
      for (let i = 0; i < C.length; i++) if (!(C[i] === rows[i])) expect.fail(`C[${Math.floor(i / N)}, ${i % N}]: ${C[i]} by columns, ${rows[i]} by rows`)
    } finally {
      for (const a of [A, B, C]) releaseKernelArray(a)
    }
  })

  it('names the row schedule above 0x7fff quanta of rows, where the row schedule runs', async () => {
    const pg = await pool(2)
    pg.columnParts(true)
    // 393,204 rows are 0x7fff quanta of 12: the most a part's claims word counts at each end (claimRows)
    expect(columnSchedule(393_204, 1024, 1024, 2)).toBe(512)
    expect(columnSchedule(393_205, 1024, 1024, 2)).toBe(0)
    expect(pg.noteFor(1024, 1024, 393_204)).toBe('512-column parts of C and B, one per thread, rows of an unfinished part taken over')
    // before: the column note, for a product the row schedule runs
    expect(pg.noteFor(1024, 1024, 393_205)).toBe(pg.note)
    expect(pg.noteFor(1024, 1024)).toBe(pg.noteFor(1024, 1024, 1024))
  })

  const shapes: [number, number, number, 'columns' | 'rows'][] = [
    [1, 65, 600, 'columns'], [7, 1030, 600, 'columns'], [65, 1024, 1024, 'columns'], [1030, 65, 600, 'columns'], [1030, 1030, 600, 'columns'],
    [65, 1, 600, 'rows'], [1030, 7, 1024, 'rows'], [65, 1030, 1024, 'rows'], [1, 7, 1024, 'rows']
  ]
  // 9 panels of 8 columns (N = 71): three parts of 24 columns on three threads, and on four too (threads 0 and 3
  // begin at part 0, one its owner: ownsPart), with a last part of 23 columns and rows ending mid-block
  const odd: [number, number, number, 'columns'][] = [[1031, 71, 600, 'columns']]
  for (const threads of [2, 3, 4]) {
    for (const [M, N, K, schedule] of threads === 2 ? shapes : threads === 3 ? [...shapes.filter(([M]) => M === 1030), ...odd] : odd) {
      it(`${threads} threads, M=${M} N=${N} K=${K} (${schedule})`, async () => {
        expect(wasmGemm()).not.toBeNull()
        expect(columnPartWidth(N, K, threads) > 0).toBe(schedule === 'columns')
        const pg = await pool(threads)
        // the column schedule asked for everywhere: the shapes it does not fit take the row one
        pg.columnParts(true)
        expect(pg.noteFor(N, K)).toBe(schedule === 'columns' ? `${columnPartWidth(N, K, threads)}-column parts of C and B, one per thread, rows of an unfinished part taken over` : pg.note)
        const rng = new Rng(M * 7 + N * 3 + K + threads)
        const A = gemmOperand(M * K), B = gemmOperand(K * N), C = gemmOperand(M * N)
        try {
          for (let i = 0; i < A.length; i++) A[i] = rng.next() - 0.5
          for (let i = 0; i < B.length; i++) B[i] = rng.next() - 0.5
          C.fill(Number.NaN)
          pg.gemm(C, A, B, M, N, K)
          for (const i of checkedRows(M, rng)) {
            for (let j = 0; j < N; j++) {
              let want = 0, scale = 0
              for (let k = 0; k < K; k++) {
                const p = A[i * K + k] * B[k * N + j]
                want += p
                scale += Math.abs(p)
              }
              if (!(Math.abs(C[i * N + j] - want) <= 1e-5 * scale + 1e-6)) expect.fail(`C[${i}, ${j}] = ${C[i * N + j]}, expected ${want}`)
            }
          }
          // every entry written (a block left out keeps its NaN), and the same again when the bound operands and
          // the helpers' kernels are reused: each entry's sums run in one order, whichever thread takes its block
          const first = C.slice()
          C.fill(Number.NaN)
          pg.gemm(C, A, B, M, N, K)
          for (let i = 0; i < C.length; i++) {
            if (Number.isNaN(first[i])) expect.fail(`C[${Math.floor(i / N)}, ${i % N}] never written`)
            if (C[i] !== first[i]) expect.fail(`C[${Math.floor(i / N)}, ${i % N}] = ${C[i]} at the second call, ${first[i]} at the first`)
          }
        } finally {
          for (const a of [A, B, C]) releaseKernelArray(a)
        }
      })
    }
  }
})

describe('which thread owns a column part (ownsPart)', () => {
  it('gives every column part exactly one owner, with fewer parts than threads too (9 panels on 4 threads: 3 parts)', () => {
    let fewer = 0
    for (let threads = 2; threads <= 8; threads++) {
      for (let N = 1; N <= 8 * 40; N++) {
        const w = columnPartWidth(N, 64, threads)
        if (w === 0) continue
        const parts = Math.ceil(N / w)
        if (parts < threads) fewer++
        // thread k visits parts k, k + 1, … (mod parts), as columnBlocks does
        const owners = Array<number>(parts).fill(0)
        for (let k = 0; k < threads; k++) for (let s = 0; s < parts; s++) if (ownsPart(k, (k + s) % parts, parts)) owners[(k + s) % parts]++
        if (!owners.every((n) => n === 1)) expect.fail(`N=${N} on ${threads} threads (${parts} parts): owners per part ${owners.join(', ')}`)
      }
    }
    expect(columnPartWidth(71, 600, 4)).toBe(24)
    expect(fewer).toBeGreaterThan(0)
  })
})

/**
 * The column schedule's claims within one part (claimRows): the owner from the top, PART_ROWS (5 quanta of 12
 * rows) at a time, shrinking once another thread takes rows; the others one quantum at a time from the bottom.
 */
describe('claimRows (a column part shared by its owner and a thief)', () => {
  const word = (): Int32Array => new Int32Array(1)

  it('gives the owner alone 60-row blocks from the top down to the last rows', () => {
    const control = word()
    const got: [number, number][] = []
    for (let c = claimRows(control, 0, 86, true, 2); c !== null; c = claimRows(control, 0, 86, true, 2)) got.push(c)
    // 1024 rows = 86 quanta: 17 blocks of 60 rows and one of 4
    expect(got).toEqual([...Array.from({ length: 17 }, (_, i): [number, number] => [5 * i, 5 * i + 5]), [85, 86]])
  })

  it('gives a thief one quantum from the bottom, and the owner smaller claims once it has come', () => {
    const control = word()
    expect(claimRows(control, 0, 86, true, 2)).toEqual([0, 5])
    expect(claimRows(control, 0, 86, false, 2)).toEqual([85, 86])
    expect(claimRows(control, 0, 86, false, 2)).toEqual([84, 85])
    // 79 quanta left: still a full block
    expect(claimRows(control, 0, 86, true, 2)).toEqual([5, 10])
    for (let i = 0; i < 66; i++) claimRows(control, 0, 86, false, 2)
    // 8 quanta left (10..18): a quarter of them, not a 60-row block a slowed owner would hold while the thief waits
    expect(claimRows(control, 0, 86, true, 2)).toEqual([10, 12])
    expect(claimRows(control, 0, 86, true, 2)).toEqual([12, 14])
    expect(claimRows(control, 0, 86, true, 2)).toEqual([14, 15])
    expect(claimRows(control, 0, 86, false, 2)).toEqual([17, 18])
    expect(claimRows(control, 0, 86, true, 2)).toEqual([15, 16])
    expect(claimRows(control, 0, 86, false, 2)).toEqual([16, 17])
    expect(claimRows(control, 0, 86, false, 2)).toBeNull()
    expect(claimRows(control, 0, 86, true, 2)).toBeNull()
  })

  it('hands out every quantum exactly once, whatever the interleaving', () => {
    const rng = new Rng(11)
    for (const quanta of [1, 2, 5, 6, 86, 87, 0x7fff]) {
      const control = word()
      const owner = Array<number>(quanta).fill(0)
      for (;;) {
        const c = claimRows(control, 0, quanta, rng.next() < 0.5, 2)
        if (c === null) break
        if (!(c[1] > c[0])) expect.fail(`empty claim [${c[0]}, ${c[1]})`)
        for (let q = c[0]; q < c[1]; q++) owner[q]++
      }
      expect(owner.every((n) => n === 1)).toBe(true)
    }
  })
})
