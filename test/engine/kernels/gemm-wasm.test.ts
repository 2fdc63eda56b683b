import { describe, expect, it } from 'vitest'
import { createWasmGemm } from '../../../src-engine/kernels/wasm/gemm-wasm'
import { EngineMemory } from '../../../src-engine/kernels/wasm/memory'
import { Rng } from '../../../src-engine/rng'

/** Triple-loop reference in float64: C = op(A)·op(B) (+ C). */
function reference(C: Float32Array, A: Float32Array, B: Float32Array, M: number, N: number, K: number, tA: boolean, tB: boolean, acc: boolean): Float64Array {
  const out = new Float64Array(M * N)
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = acc ? C[i * N + j] : 0
      for (let k = 0; k < K; k++) s += (tA ? A[k * M + i] : A[i * K + k]) * (tB ? B[j * K + k] : B[k * N + j])
      out[i * N + j] = s
    }
  }
  return out
}

function random(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1
  return a
}

describe('WebAssembly SIMD GEMM', () => {
  const wasm = createWasmGemm()

  it('is available on this runtime', () => {
    expect(wasm).not.toBeNull()
  })

  // K = 600 spans two depth slabs (KC = 512) with a short second one, M = 125 two row blocks (MC = 120),
  // N = 1030 and 2100 two and three column slabs (NC = 1024), all with edge tiles
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 5, 3], [13, 17, 19], [6, 8, 256], [37, 29, 300], [37, 29, 600], [130, 9, 25], [125, 1030, 13], [5, 2100, 7],
    // last B panels of 7 and 4 columns (W1's affine1: N = 100), K not a multiple of 4
    [11, 15, 9], [48, 100, 523],
    // 512 < K ≤ 1024 takes gemmDeep: M = 65 two of its row blocks (60), N = 521 two column blocks (512), the second a 9-column edge
    [65, 521, 600]]
  for (const [M, N, K] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const acc of [false, true]) {
          it(`agrees with the triple loop for M=${M} N=${N} K=${K} transA=${tA} transB=${tB} accumulate=${acc}`, () => {
            const rng = new Rng(M * 1000 + N * 10 + K)
            const A = random(M * K, rng), B = random(K * N, rng), C = random(M * N, rng)
            const want = reference(C, A, B, M, N, K, tA, tB, acc)
            wasm!.gemm(C, A, B, M, N, K, tA, tB, acc)
            for (let i = 0; i < M * N; i++) {
              if (Math.abs(C[i] - want[i]) > 1e-4 * Math.max(1, Math.abs(want[i]))) {
                expect.fail(`C[${i}] = ${C[i]}, expected ${want[i]}`)
              }
            }
          })
        }
      }
    }
  }

  it('works in place on tensors allocated in engine memory (no copies)', () => {
    const mem = wasm!.mem
    const rng = new Rng(3)
    const M = 23, N = 31, K = 17
    const A = mem.allocF32(M * K), B = mem.allocF32(K * N), C = mem.allocF32(M * N)
    A.set(random(M * K, rng)); B.set(random(K * N, rng))
    expect(mem.owns(A) && mem.owns(B) && mem.owns(C)).toBe(true)
    const want = reference(C, A, B, M, N, K, false, false, false)
    wasm!.gemm(C, A, B, M, N, K, false, false, false)
    for (let i = 0; i < M * N; i++) expect(C[i]).toBeCloseTo(want[i], 4)
  })

  // N = 2100 spans three column slabs of the packing, K = 600 two depth slabs
  for (const [M, N, K, tB] of [[19, 2100, 600, false], [13, 37, 7, true], [6, 8, 1, false]] as [number, number, number, boolean][]) {
    it(`packBPart: parts packed separately make packBAll's panels, and gemmPackedB agrees with the triple loop (M=${M} N=${N} K=${K} transB=${tB})`, () => {
      const mem = wasm!.mem
      const rng = new Rng(M + N + K)
      const A = mem.allocF32(M * K), B = mem.allocF32(K * N), C = mem.allocF32(M * N)
      A.set(random(M * K, rng)); B.set(random(K * N, rng))
      const whole = wasm!.packB(B, N, K, tB).panels
      for (const parts of [1, 2, 3, 7]) {
        const panels = mem.allocF32(wasm!.packedBFloats(N, K))
        panels.fill(NaN)
        let packed = null
        for (let part = parts - 1; part >= 0; part--) packed = wasm!.packBPart(panels, B, N, K, tB, part, parts)
        for (let i = 0; i < whole.length; i++) {
          if (!Object.is(panels[i], whole[i])) expect.fail(`parts=${parts}: panels[${i}] = ${panels[i]}, packBAll wrote ${whole[i]}`)
        }
        wasm!.gemmPackedB(C, A, packed!, M, false, false)
        const want = reference(C, A, B, M, N, K, false, tB, false)
        for (let i = 0; i < M * N; i++) {
          if (Math.abs(C[i] - want[i]) > 1e-4 * Math.max(1, Math.abs(want[i]))) expect.fail(`parts=${parts}: C[${i}] = ${C[i]}, expected ${want[i]}`)
        }
        mem.release(panels)
      }
      // the same packed B with op(A) stored transposed, added into C (gemmPrepacked passes both flags through)
      const At = mem.allocF32(M * K)
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) At[k * M + i] = A[i * K + k]
      const want = reference(C, At, B, M, N, K, true, tB, true)
      wasm!.gemmPackedB(C, At, wasm!.packB(B, N, K, tB), M, true, true)
      for (let i = 0; i < M * N; i++) {
        if (Math.abs(C[i] - want[i]) > 1e-4 * Math.max(1, Math.abs(want[i]))) expect.fail(`transA, accumulate: C[${i}] = ${C[i]}, expected ${want[i]}`)
      }
    })
  }

  // a block of C's columns and rows at a time (the two-thread W5 column schedule): K = 600 two depth slabs, 13
  // columns from 5 (a 5-column edge panel), rows 7..67 of 70 (a 6-row panel then a 1-row edge at the end)
  for (const [tA, tB, acc] of [[false, false, false], [true, true, true], [false, true, true], [true, false, false]] as [boolean, boolean, boolean][]) {
    it(`packBColumns and gemmColumnRows compute one block of C and leave the rest (transA=${tA} transB=${tB} accumulate=${acc})`, () => {
      const mem = wasm!.mem
      const M = 70, N = 21, K = 600, j0 = 5, nc = 13, i0 = 7, mc = 63
      const rng = new Rng(11)
      const A = mem.allocF32(M * K), B = mem.allocF32(K * N), C = mem.allocF32(M * N)
      A.set(random(M * K, rng)); B.set(random(K * N, rng)); C.set(random(M * N, rng))
      const before = C.slice()
      const want = reference(C, A, B, M, N, K, tA, tB, acc)
      const panels = mem.allocF32(wasm!.columnsFloats(nc, K))
      wasm!.packBColumns(panels, B, N, K, tB, j0, nc)
      wasm!.gemmColumnRows(C, A, panels, M, N, K, j0, nc, i0, mc, tA, acc)
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          const inside = i >= i0 && i < i0 + mc && j >= j0 && j < j0 + nc
          const got = C[i * N + j], w = inside ? want[i * N + j] : before[i * N + j]
          if (!(Math.abs(got - w) <= 1e-4 * Math.max(1, Math.abs(w)))) expect.fail(`C[${i}, ${j}] = ${got}, expected ${w}${inside ? '' : ' (outside the block: untouched)'}`)
        }
      }
      for (const a of [A, B, C, panels]) mem.release(a)
    })
  }

  it('gemmColumnRows refuses a block outside C or more rows than it packs', () => {
    const mem = wasm!.mem
    const A = mem.allocF32(200 * 4), B = mem.allocF32(4 * 16), C = mem.allocF32(200 * 16), panels = mem.allocF32(wasm!.columnsFloats(16, 4))
    expect(() => wasm!.gemmColumnRows(C, A, panels, 200, 16, 4, 8, 9, 0, 6, false, false)).toThrow(/inside C/)
    expect(() => wasm!.gemmColumnRows(C, A, panels, 200, 16, 4, 0, 16, 0, wasm!.columnRowsMax() + 6, false, false)).toThrow(/columnRowsMax/)
    expect(() => wasm!.packBColumns(panels, B, 16, 4, false, 12, 8)).toThrow(/inside N/)
    for (const a of [A, B, C, panels]) mem.release(a)
  })

  it('fmaPeak (the W5 ceiling probe) runs every step: its checksum is 12 · steps · 0.001', () => {
    expect(wasm!.fmaPeak(1000)).toBeCloseTo(12, 3)
    expect(wasm!.fmaPeak(0)).toBe(0)
    // the GEMM still works after the probe wrote into its workspace
    const rng = new Rng(3)
    const A = random(7 * 9, rng), B = random(9 * 11, rng), C = new Float32Array(7 * 11)
    const want = reference(C, A, B, 7, 11, 9, false, false, false)
    wasm!.gemm(C, A, B, 7, 11, 9, false, false, false)
    for (let i = 0; i < C.length; i++) expect(C[i]).toBeCloseTo(want[i], 4)
  })

  it('packBPart refuses operands outside engine memory', () => {
    expect(() => wasm!.packBPart(new Float32Array(64), new Float32Array(64), 8, 8, false, 0, 1)).toThrow(/engine memory/)
  })

  it('keeps earlier views valid when engine memory grows', () => {
    const mem = new EngineMemory()
    const first = mem.allocF32(1000)
    first[999] = 42
    const big = mem.allocF32(16 * 1024 * 1024) // forces growth
    big[0] = 1
    expect(first[999]).toBe(42)
    expect(mem.owns(first) && mem.owns(big)).toBe(true)
  })
})
