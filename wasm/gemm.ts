// AssemblyScript source of the engine's WebAssembly SIMD GEMM (one part of the module that
// scripts/build-wasm.mjs compiles from wasm/index.ts; wrapper: src-engine/kernels/wasm/gemm-wasm.ts).
//
// C (M, N) = op(A) (M, K) · op(B) (K, N)  [+ C when accumulate]
//   op(A) = A stored (M, K), or its transpose when A is stored (K, M) (transA)
//   op(B) = B stored (K, N), or its transpose when B is stored (N, K) (transB)
// All matrices are row-major f32 in the shared linear memory; the caller passes byte offsets.
//
// Why packing: the micro-kernel reads MR rows of A and NR columns of B for every k. Packing copies a
// KC-deep block of A into MR-row panels and of B into NR-column panels, so the inner loop streams two
// contiguous arrays from L1/L2, whatever the transposes and leading dimensions were.
// Why 6×8: twelve f32x4 accumulators, two B vectors and one broadcast use 15 of the 16 SIMD registers
// of x86-64; measured 33–38 GFLOPS against 23–26 for 4×8 (relaxed SIMD, 1 thread, 2-core build machine).
// Node 20's V8 compiles this loop to 12 vfmadd231ps, 8 loads and no spills; an FMA-only loop peaks at
// ~48–50 GFLOPS per core here (128-bit), and gemm reaches ~42–46 at n = 1024 on a quiet machine.
// Tried and slower or no better (--print-wasm-code to check): unrolling k by 2 (V8 hoists all 16 loads
// to the top of the body and spills accumulators), 5×8 with A loaded as a vector and splat by shuffles,
// A packed pre-broadcast (4× the packed A), and other MC/NC; later, as fractions of the probe (probe.ts) in
// interleaved runs: KC 384, 320 and 256 with MC 96–240 (the smaller L1 footprint gains nothing), 4×12 (V8
// keeps xmm15 as its scratch, so 12 accumulators + 3 B + 1 broadcast spill an accumulator every step), a
// pointer-bounded k loop (one add less: the same), touching C's tile before the loop or the next B panel ahead
// of its use (slower).
// KC = 512 (was 256): each micro-kernel call runs 512 steps, so its fixed cost (zeroing, C's tile read,
// added and written back, the call) is spread over twice the work and C is updated half as often; its
// B micro-panel (16 KiB) and A micro-panel (12 KiB) still fit the 32 KiB L1. Measured as a fraction of an
// FMA-only loop (probe.ts) timed call by call beside it, because the machine's own speed moves by ±25 %
// from second to second: n = 1024 rose from 0.895 to 0.908 (mean of six paired runs, each one better);
// KC = 640…1024 gave no more, 192 less. 4 KiB aliasing (n = 1024 puts every row of A, B and C 4096 bytes
// apart) costs nothing measurable: n = 1000 and 1040 reach the same fraction.
// On an Intel Xeon (48 KiB L1d, 2 MiB L2; 26 November): KC 384–1024, MC 60–480 and NC 256–1024 all gave
// 0.89–0.92 of the probe at n = 1024, as did touching C's tile before the loop and packing B two panels or
// one row at a time; a hot 6×8 kernel reaches 0.98. What it measured instead: C read back from L3 at the
// second slab (~3 %, now avoided by gemmDeep) and packing (~2.5 %: B ~1.5, A ~1).
// The two-thread product (gemmPackedB on B packed once by both threads; also the LSTM's backward, K = 4H = 1024),
// tried on 26 November and not kept: for KC < K ≤ DEEP_K, each 60-row block of A packed once for all slabs, then
// each 8-column panel of C through slab 0 and slab 1 back to back (C's tile back from L1/L2; bit for bit the same
// result). In-process A/B (both modules on one memory, the two-thread schedule's grabs on one thread, each call
// beside the probe, n = 1024): 0.89–0.93 of the probe against 0.84–0.92, better in 6 of 6 (~+1.5 %), and 4 of 4
// medians later (0.80–0.89 against 0.78–0.89, load ~2). But W5 lab two-thread gflops_1024 in 3 alternating pairs
// old/new on a quiet machine (load 0.9–1.7, every fma_peak 2t ≥ 1.7 × 1t): 74.2/46.9, 67.9/65.5, 67.9/83.0
// (fma_peak 78.2/77.9, 77.0/64.0, 86.3/92.4): faster in 1 of 3, so not confirmed; W4 lab train (new/old) 263/234
// (1 t), 412/413 (2 t). Also measured then: gemmDeep with 1024-column blocks packing A once, −1 %; row blocks of
// 120 or 240 for the packed path, worse than 60; in the two-thread call at n = 1024, packing B ~1.7 %, the barrier
// negligible, the tail of the last grab ~0.5–2 %.
// 27 November (G4), the two-thread product by columns, kept as an option, not the default (bench/lib/parallel-gemm.ts
// columnParts; BENCH_W5_COLUMNS=1 in the lab): each thread packs its own 512-column part of B, both slabs (packBCols:
// 2 MiB, its own L2), and runs every 60-row block of A through it (gemmColumnRows, gemmDeep's inner loop, which
// gemmDeep now calls: the same machine code but for ncp computed once per row block); no barrier, and a thread
// whose part is done takes over the other's rows (its B from L3). In-process A/B (bench/gemm-ab.ts, alternating,
// each round beside a two-thread probe window), medians of the fractions of the probe, columns against rows:
// n = 1024 0.907/0.903 (faster in 12 of 24 rounds, load 2–4.6, with rounds at ~0.70 where one thread was slowed),
// then 0.914/0.886 (20 of 24, load 1.9); n = 512 0.920/0.858 (12 of 16); n = 256 0.870/0.839 (9 of 16). Smaller
// last grabs within a part (half of the rows left, down to 12): 0.914/0.885 and 0.920/0.870, no better. W5 lab
// pairs, two-thread gflops_1024 rows/columns (two-thread fma_peak beside each; load 2–5, the machine's one-thread
// probe 35–48): 77.6/85.1 (94.9/84.2), 72.3/56.8 (89.5/87.4), 67.2/68.7 (72.0/71.2), 82.4/82.5 (93.2/81.0), and
// one pair void (the columns run's probe 1.39 × its one-thread one, second core lost): faster in 3 of 4 but
// 22 % slower in one, so not confirmed (as fractions of each run's probe, taken after the products: 0.82/1.01,
// 0.81/0.65, 0.93/0.97, 0.88/1.02). One-thread gflops_1024 in the same pairs 45.8/39.6, 43.2/43.5, 27.7/31.7,
// 39.5/39.4 (the same code; the machine's drift). Two more two-thread pairs on the committed build (BENCH_W5_COLUMNS
// unset/1, load 2.2–7.6): 65.1/67.1 (86.7/78.1), 80.1/80.7 (92.4/94.6): faster in 5 of 6 pairs, by 0.1–9.7 %, and
// 22 % slower in one. gflops_256 and _512 rows/columns over the six: 68.0/80.1 and 62.1/77.9, 72.2/80.8 and
// 70.5/75.0, 51.9/47.5 and 62.1/70.6, 80.0/75.3 and 79.0/87.1, 66.1/81.4 and 65.7/84.6, 61.0/82.3 and 80.6/82.1.
// 27 November (G5), the column schedule's claims within a part changed (parallel-gemm.ts claimRows): the owner
// takes 60-row blocks from the top, and once another thread has come, a quarter of the rows left (whole 12-row
// quanta); a thief takes 12 rows at a time from the bottom (G4's: everyone 60 rows from the top). Measured in one
// process (a timing build of parallel-gemm, 40 single calls per block, n = 1024; "slowed": a busy loop pinned to
// core 1 by taskset for the whole run, the exclusive bench lock held): the gap between the two threads' ends,
// p90 0.36–0.76 ms quiet and 2.5–3.6 ms slowed, against 0.60–2.5 and 3.5–4.3 ms with G4's claims; p50 call
// time (GFLOPS) columns/rows in the same blocks, slowed: new 54.3/57.1, 47.3/47.0, 53.3/45.4, 51.0/51.4; G4's
// 47.8/42.6, 52.9/54.1, 48.2/48.1, 45.7/54.7; quiet, the best blocks: new 87.7 against rows 85.4, G4's 87.1 and
// 89.8 against 86.2 and 88.2. Where the slowed case loses: the helper starts late (p90 2.4–5 ms after the call
// begins, against ≤ 0.3 quiet; both schedules alike) and the thief then takes rows of the other part (p50
// 170–245, p90 up to 420) with that part's B from L3; the tail itself is now small. W5 lab pairs with these
// claims, two-thread gflops_1024 rows/columns (two-thread fma_peak and its ratio to the one-thread one beside
// each; load 1.7–3.2): quiet 73.4/66.2 (89.9 1.95 / 82.5 1.78), 66.2/53.5 (74.8 1.79 / 55.7 1.24: void),
// 73.8/72.0 (92.7 2.17 / 72.1 1.58: void), 72.1/72.8 (93.2 1.98 / 73.8 1.5995: void by a hair): in the one valid
// pair the columns are 9.8 % lower, so the default stays the row schedule (the rule: ≥ 4 valid pairs, none lower
// by more than 3 %). Slowed
// (the busy loop on core 1; load 1.8–3.0): 47.0/52.1 (61.0 / 63.9), 47.5/45.6 (58.2 / 56.7): +10.9 % and −4.0 %,
// no collapse as G4's −22 %. Noticed, not explained: in all four quiet pairs the columns run's two-thread probe,
// taken after its products by the same threads, was the lower one (82.5/89.9, 55.7/74.8, 72.1/92.7, 73.8/93.2);
// in bench/gemm-ab.ts rounds the probe taken right after the columns was not lower than after the rows (quiet
// 64.3–77.4 against 65.1–77.5, slowed 46.5–54.0 against 45.4–57.5, 4 + 4 rounds each), and two more quiet pairs
// (load 1.8–3.6) went the other way: 26.8/72.5 (72.3 1.53 / 93.8 2.13) and 47.8/71.9 (59.4 1.49 / 89.6 2.64),
// both void, the rows runs having lost the second core: the machine, not the schedule (columns 0.77 and 0.80 of
// their probes there, as the rows' 0.77–0.82 in the valid runs above).
// Next: quiet pairs when the machine is idle enough that both probes stay above 1.6×; whether those low probes
// follow the column schedule (thread placement) or the machine; a late owner leaves its whole part to be packed
// or shared by the other thread, which then claims one quantum at a time from its own L2 (fine-grained, not slow).

import { fma } from './simd'

const MR: i32 = 6
const NR: i32 = 8
const KC: i32 = 512
const MC: i32 = 120
const NC: i32 = 1024
// gemmDeep's blocks (KC < K ≤ DEEP_K): K · DEEP_NC ≤ KC · NC floats of packed B
const DEEP_K: i32 = 1024
const DEEP_MC: i32 = 60
const DEEP_NC: i32 = 512

// Element (i, k) of op(A) and (k, j) of op(B), as byte addresses.
@inline function addrA(a: usize, i: i32, k: i32, M: i32, K: i32, transA: bool): usize {
  return a + (((transA ? <usize>k * M + i : <usize>i * K + k)) << 2)
}
@inline function addrB(b: usize, k: i32, j: i32, N: i32, K: i32, transB: bool): usize {
  return b + (((transB ? <usize>j * K + k : <usize>k * N + j)) << 2)
}

/** Pack rows i0..i0+mc, depth k0..k0+kc of op(A) into MR-row panels: panel p, step k → MR floats. */
function packA(dst: usize, a: usize, i0: i32, mc: i32, k0: i32, kc: i32, M: i32, K: i32, transA: bool): void {
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p)
    const panel = dst + ((<usize>p * kc) << 2)
    let k = 0
    if (rows == MR) {
      if (transA) {
        // the MR rows at one step are contiguous: one 16-byte and one 8-byte copy
        for (; k < kc; k++) {
          const src = addrA(a, i0 + p, k0 + k, M, K, true)
          const out = panel + ((<usize>k * MR) << 2)
          v128.store(out, v128.load(src))
          v128.store64_lane(out, v128.load64_zero(src, 16), 0, 16)
        }
      } else {
        // four steps at a time: a 16-byte load from each row, transposed in registers
        const ld = (<usize>K) << 2
        const r0 = addrA(a, i0 + p, k0, M, K, false)
        for (; k + 4 <= kc; k += 4) {
          const src = r0 + (<usize>k << 2)
          const x0 = v128.load(src), x1 = v128.load(src + ld), x2 = v128.load(src + 2 * ld)
          const x3 = v128.load(src + 3 * ld), x4 = v128.load(src + 4 * ld), x5 = v128.load(src + 5 * ld)
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5)
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7)
          const u0 = i32x4.shuffle(x4, x5, 0, 4, 1, 5), u1 = i32x4.shuffle(x4, x5, 2, 6, 3, 7)
          const out = panel + ((<usize>k * MR) << 2)
          v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5))
          v128.store64_lane(out, u0, 0, 16)
          v128.store(out, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 24)
          v128.store64_lane(out, u0, 1, 40)
          v128.store(out, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 48)
          v128.store64_lane(out, u1, 0, 64)
          v128.store(out, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 72)
          v128.store64_lane(out, u1, 1, 88)
        }
      }
    }
    for (; k < kc; k++) {
      const out = panel + ((<usize>k * MR) << 2)
      for (let r = 0; r < MR; r++) {
        store<f32>(out + (<usize>r << 2), r < rows ? load<f32>(addrA(a, i0 + p + r, k0 + k, M, K, transA)) : 0)
      }
    }
  }
}

/** Pack depth k0..k0+kc, columns j0..j0+nc of op(B) into NR-column panels: panel q, step k → NR floats. */
function packB(dst: usize, b: usize, k0: i32, kc: i32, j0: i32, nc: i32, N: i32, K: i32, transB: bool): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q)
    const panel = dst + ((<usize>q * kc) << 2)
    if (!transB && cols >= 4) {
      // rows of B are contiguous: 8 floats per k with two vector loads, four steps per iteration; a last
      // panel of 4–7 columns takes one vector load and the rest as scalars, zeros beyond (was a scalar
      // loop with a branch per float: a tenth of packing W1's affine1 W, 100 columns)
      const ld = (<usize>N) << 2
      let src = addrB(b, k0, j0 + q, N, K, false)
      let out = panel
      if (cols == NR) {
        let k = 0
        for (; k + 4 <= kc; k += 4) {
          const a0 = v128.load(src), a1 = v128.load(src, 16)
          const b0 = v128.load(src + ld), b1 = v128.load(src + ld, 16)
          const c0 = v128.load(src + 2 * ld), c1 = v128.load(src + 2 * ld, 16)
          const d0 = v128.load(src + 3 * ld), d1 = v128.load(src + 3 * ld, 16)
          v128.store(out, a0); v128.store(out, a1, 16)
          v128.store(out, b0, 32); v128.store(out, b1, 48)
          v128.store(out, c0, 64); v128.store(out, c1, 80)
          v128.store(out, d0, 96); v128.store(out, d1, 112)
          src += 4 * ld
          out += 128
        }
        for (; k < kc; k++) {
          v128.store(out, v128.load(src))
          v128.store(out, v128.load(src, 16), 16)
          src += ld
          out += 32
        }
      } else {
        for (let k = 0; k < kc; k++) {
          v128.store(out, v128.load(src))
          v128.store(out, f32x4.splat(0), 16)
          for (let c = 4; c < cols; c++) store<f32>(out + (<usize>c << 2), load<f32>(src + (<usize>c << 2)))
          src += ld
          out += 32
        }
      }
    } else {
      let k = 0
      if (transB && cols == NR) {
        // B stored (N, K): four steps at a time, a 16-byte load from each of the NR rows, transposed in registers
        const ld = (<usize>K) << 2
        const r0 = addrB(b, k0, j0 + q, N, K, true)
        for (; k + 4 <= kc; k += 4) {
          const out = panel + ((<usize>k * NR) << 2)
          for (let h = 0; h < 2; h++) {
            const src = r0 + (<usize>k << 2) + <usize>(4 * h) * ld
            const x0 = v128.load(src), x1 = v128.load(src + ld), x2 = v128.load(src + 2 * ld), x3 = v128.load(src + 3 * ld)
            const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5)
            const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7)
            const o = out + (<usize>h << 4)
            v128.store(o, i32x4.shuffle(t0, t1, 0, 1, 4, 5))
            v128.store(o, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 32)
            v128.store(o, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 64)
            v128.store(o, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 96)
          }
        }
      }
      for (; k < kc; k++) {
        const out = panel + ((<usize>k * NR) << 2)
        for (let c = 0; c < NR; c++) {
          store<f32>(out + (<usize>c << 2), c < cols ? load<f32>(addrB(b, k0 + k, j0 + q + c, N, K, transB)) : 0)
        }
      }
    }
  }
}

/** 6×8 micro-kernel over packed panels; adds into (or, when first, overwrites) C's tile. */
function kernel(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, overwrite: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0)
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0)
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0)
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0)
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0)
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0)
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp)
    const b1 = v128.load(bp, 16)
    let a: v128
    a = v128.load32_splat(ap, 0)
    c00 = fma(a, b0, c00); c01 = fma(a, b1, c01)
    a = v128.load32_splat(ap, 4)
    c10 = fma(a, b0, c10); c11 = fma(a, b1, c11)
    a = v128.load32_splat(ap, 8)
    c20 = fma(a, b0, c20); c21 = fma(a, b1, c21)
    a = v128.load32_splat(ap, 12)
    c30 = fma(a, b0, c30); c31 = fma(a, b1, c31)
    a = v128.load32_splat(ap, 16)
    c40 = fma(a, b0, c40); c41 = fma(a, b1, c41)
    a = v128.load32_splat(ap, 20)
    c50 = fma(a, b0, c50); c51 = fma(a, b1, c51)
    ap += MR << 2
    bp += NR << 2
  }
  const ld = (<usize>ldc) << 2
  if (rows == MR && cols == NR) {
    if (overwrite) {
      v128.store(c + 0 * ld, c00); v128.store(c + 0 * ld, c01, 16)
      v128.store(c + 1 * ld, c10); v128.store(c + 1 * ld, c11, 16)
      v128.store(c + 2 * ld, c20); v128.store(c + 2 * ld, c21, 16)
      v128.store(c + 3 * ld, c30); v128.store(c + 3 * ld, c31, 16)
      v128.store(c + 4 * ld, c40); v128.store(c + 4 * ld, c41, 16)
      v128.store(c + 5 * ld, c50); v128.store(c + 5 * ld, c51, 16)
    } else {
      v128.store(c + 0 * ld, f32x4.add(v128.load(c + 0 * ld), c00)); v128.store(c + 0 * ld, f32x4.add(v128.load(c + 0 * ld, 16), c01), 16)
      v128.store(c + 1 * ld, f32x4.add(v128.load(c + 1 * ld), c10)); v128.store(c + 1 * ld, f32x4.add(v128.load(c + 1 * ld, 16), c11), 16)
      v128.store(c + 2 * ld, f32x4.add(v128.load(c + 2 * ld), c20)); v128.store(c + 2 * ld, f32x4.add(v128.load(c + 2 * ld, 16), c21), 16)
      v128.store(c + 3 * ld, f32x4.add(v128.load(c + 3 * ld), c30)); v128.store(c + 3 * ld, f32x4.add(v128.load(c + 3 * ld, 16), c31), 16)
      v128.store(c + 4 * ld, f32x4.add(v128.load(c + 4 * ld), c40)); v128.store(c + 4 * ld, f32x4.add(v128.load(c + 4 * ld, 16), c41), 16)
      v128.store(c + 5 * ld, f32x4.add(v128.load(c + 5 * ld), c50)); v128.store(c + 5 * ld, f32x4.add(v128.load(c + 5 * ld, 16), c51), 16)
    }
    return
  }
  // Edge tile: spill the accumulators to a small scratch area and copy the valid part.
  const tmp = scratch
  v128.store(tmp, c00, 0); v128.store(tmp, c01, 16)
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48)
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80)
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112)
  v128.store(tmp, c40, 128); v128.store(tmp, c41, 144)
  v128.store(tmp, c50, 160); v128.store(tmp, c51, 176)
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const dst = c + <usize>r * ld + (<usize>j << 2)
      const v = load<f32>(tmp + ((<usize>(r * NR + j)) << 2))
      store<f32>(dst, overwrite ? v : load<f32>(dst) + v)
    }
  }
}

// 256 bytes for edge tiles, set by setScratch (the JS side owns the memory layout).
let scratch: usize = 0

export function setScratch(ptr: usize): void {
  scratch = ptr
}

/** Bytes of packing workspace gemm needs: one A block and one B block. */
export function workspaceBytes(): i32 {
  return (MC * KC + KC * NC) * 4 + 256
}

/**
 * C = op(A)·op(B) (+ C if accumulate). `work` points at workspaceBytes() bytes of scratch.
 * Byte offsets a, b, c; sizes M, N, K last (llm.c order: output first).
 */
export function gemm(c: usize, a: usize, b: usize, work: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32, accumulate: i32): void {
  const packedA = work
  const packedB = work + ((<usize>MC * KC) << 2)
  if (K == 0) {
    if (!accumulate) memory.fill(c, 0, (<usize>M * N) << 2)
    return
  }
  if (K > KC && K <= DEEP_K) {
    gemmDeep(c, a, b, packedA, packedB, M, N, K, transA != 0, transB != 0, accumulate != 0)
    return
  }
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0)
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0)
      packB(packedB, b, k0, kc, j0, nc, N, K, transB != 0)
      slab(c, a, packedA, packedB, j0, nc, k0, kc, M, N, K, transA != 0, k0 == 0 && !accumulate)
    }
  }
}

/**
 * gemm for KC < K ≤ DEEP_K (two slabs or more, so C is read back): every KC slab of a DEEP_NC-column
 * block of op(B) is packed first, then each DEEP_MC-row block of C takes all its slabs one after another,
 * so the block (DEEP_MC × DEEP_NC, 120 KiB) is still in L2 when the next slab adds into it. gemm's own
 * order reads C back from L3 at every slab after the first: at n = 1024 on this Xeon (2 MiB L2, 48 KiB
 * L1) that read-back cost ~3 % of the FMA-only probe (with packing skipped, 0.937 of it; with the read-back
 * skipped too, 0.969; packing costs ~2.5 % more). The packed slabs (K · DEEP_NC floats) fit the KC × NC region of the workspace.
 */
function gemmDeep(c: usize, a: usize, b: usize, packedA: usize, packedB: usize, M: i32, N: i32, K: i32, transA: bool, transB: bool, accumulate: bool): void {
  for (let j0 = 0; j0 < N; j0 += DEEP_NC) {
    const nc = min(DEEP_NC, N - j0)
    packBColumns(packedB, b, N, K, transB, j0, nc)
    for (let i0 = 0; i0 < M; i0 += DEEP_MC) rowBlock(c, a, packedA, packedB, M, N, K, j0, nc, i0, min(DEEP_MC, M - i0), transA, accumulate)
  }
}

/** Every KC slab of columns j0..j0+nc of op(B), one after another (K · nc rounded up to NR floats). */
@inline function packBColumns(dst: usize, b: usize, N: i32, K: i32, transB: bool, j0: i32, nc: i32): void {
  const ncp = ((nc + NR - 1) / NR) * NR
  let at = dst
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0)
    packB(at, b, k0, kc, j0, nc, N, K, transB)
    at += (<usize>ncp * kc) << 2
  }
}

/**
 * Rows i0..i0+mc (mc ≤ MC) of C's columns j0..j0+nc through every slab of packBColumns's output, back to
 * back, so that the C block is still in L2 when the next slab adds into it (gemmDeep's inner loop).
 */
@inline function rowBlock(c: usize, a: usize, packedA: usize, packedB: usize, M: i32, N: i32, K: i32, j0: i32, nc: i32, i0: i32, mc: i32, transA: bool, accumulate: bool): void {
  const ncp = ((nc + NR - 1) / NR) * NR
  let at = packedB
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0)
    packA(packedA, a, i0, mc, k0, kc, M, K, transA)
    const overwrite = k0 == 0 && !accumulate
    for (let q = 0; q < nc; q += NR) {
      const cols = min(NR, nc - q)
      const bp = at + ((<usize>q * kc) << 2)
      for (let p = 0; p < mc; p += MR) {
        const cp = c + ((<usize>(i0 + p) * N + j0 + q) << 2)
        kernel(packedA + ((<usize>p * kc) << 2), bp, kc, cp, N, min(MR, mc - p), cols, overwrite)
      }
    }
    at += (<usize>ncp * kc) << 2
  }
}

/**
 * For a thread that owns columns j0..j0+nc of C (the two-thread product, bench/lib/parallel-gemm.ts): packs
 * them of op(B) (K, N), every slab, at dst (columnsFloats(nc, K) floats), for gemmColumnRows.
 */
export function packBCols(dst: usize, b: usize, N: i32, K: i32, transB: i32, j0: i32, nc: i32): void {
  packBColumns(dst, b, N, K, transB != 0, j0, nc)
}

/** Floats of packBCols's output for nc columns. */
export function columnsFloats(nc: i32, K: i32): i32 {
  return ((nc + NR - 1) / NR) * NR * K
}

/** Rows at most gemmColumnRows takes per call (its packed A block fits the workspace). */
export function columnRowsMax(): i32 {
  return MC
}

/**
 * C[i0..i0+mc, j0..j0+nc] = op(A)[i0..i0+mc, :]·op(B)[:, j0..j0+nc] (+ C when accumulate) with those columns
 * of op(B) packed by packBCols at bp; mc ≤ columnRowsMax(); `work` as gemm's.
 */
export function gemmColumnRows(c: usize, a: usize, bp: usize, work: usize, M: i32, N: i32, K: i32, j0: i32, nc: i32, i0: i32, mc: i32, transA: i32, accumulate: i32): void {
  if (K == 0) {
    if (!accumulate) for (let i = i0; i < i0 + mc; i++) memory.fill(c + ((<usize>i * N + j0) << 2), 0, (<usize>nc) << 2)
    return
  }
  rowBlock(c, a, work, bp, M, N, K, j0, nc, i0, mc, transA != 0, accumulate != 0)
}

/** One packed KC×NC slab of B against every MC block of A (packed here) into C's columns j0..j0+nc. */
@inline function slab(c: usize, a: usize, packedA: usize, packedB: usize, j0: i32, nc: i32, k0: i32, kc: i32, M: i32, N: i32, K: i32, transA: bool, overwrite: bool): void {
  for (let i0 = 0; i0 < M; i0 += MC) {
    const mc = min(MC, M - i0)
    packA(packedA, a, i0, mc, k0, kc, M, K, transA)
    for (let q = 0; q < nc; q += NR) {
      const cols = min(NR, nc - q)
      const bp = packedB + ((<usize>q * kc) << 2)
      for (let p = 0; p < mc; p += MR) {
        const rows = min(MR, mc - p)
        const cp = c + ((<usize>(i0 + p) * N + j0 + q) << 2)
        kernel(packedA + ((<usize>p * kc) << 2), bp, kc, cp, N, rows, cols, overwrite)
      }
    }
  }
}

/** Floats that packBAll writes for op(B) (K, N): every slab, each panel zero-padded to NR columns. */
export function packedBFloats(N: i32, K: i32): i32 {
  let total = 0
  for (let j0 = 0; j0 < N; j0 += NC) total += ((min(NC, N - j0) + NR - 1) / NR) * NR * K
  return total
}

/**
 * Packs all of op(B) once, slab after slab in gemm's order, for an operand used by many products
 * (an LSTM's Wh at every time step): gemmPackedB then skips the packing of B.
 */
export function packBAll(dst: usize, b: usize, N: i32, K: i32, transB: i32): void {
  packBPart(dst, b, N, K, transB, 0, 1)
}

/**
 * packBAll's share `part` of `parts`: in every slab, the part-th of `parts` runs of NR-column panels, at
 * the place packBAll puts them. Threads that each pack one part fill the same buffer without overlap.
 */
export function packBPart(dst: usize, b: usize, N: i32, K: i32, transB: i32, part: i32, parts: i32): void {
  let at = dst
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0)
    const panels = (nc + NR - 1) / NR
    const q0 = (panels * part) / parts, q1 = (panels * (part + 1)) / parts
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0)
      if (q1 > q0) packB(at + ((<usize>q0 * NR * kc) << 2), b, k0, kc, j0 + q0 * NR, min(nc - q0 * NR, (q1 - q0) * NR), N, K, transB != 0)
      at += (<usize>panels * NR * kc) << 2
    }
  }
}

/** gemm with B already packed by packBAll (bp). */
export function gemmPackedB(c: usize, a: usize, bp: usize, work: usize, M: i32, N: i32, K: i32, transA: i32, accumulate: i32): void {
  if (K == 0) {
    if (!accumulate) memory.fill(c, 0, (<usize>M * N) << 2)
    return
  }
  let at = bp
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0)
    const ncp = ((nc + NR - 1) / NR) * NR
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0)
      slab(c, a, work, at, j0, nc, k0, kc, M, N, K, transA != 0, k0 == 0 && !accumulate)
      at += (<usize>ncp * kc) << 2
    }
  }
}

/**
 * C (M, N) = A (M, K)·op(B) [+ C] for a few rows (batch-1 inference, M ≤ 4), A not transposed: packing
 * would copy all of B to use it once, so B is streamed straight from memory instead. Without transB each
 * row of C is built as Σ_k a[i,k]·B[k,:] (SIMD over N); with transB each entry is a SIMD dot product over K.
 */
export function gemmRows(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32, transB: i32, accumulate: i32): void {
  const n4 = N & ~3
  const k4 = K & ~3
  for (let i = 0; i < M; i++) {
    const crow = c + ((<usize>i * N) << 2)
    const arow = a + ((<usize>i * K) << 2)
    if (transB == 0) {
      if (accumulate == 0) memory.fill(crow, 0, (<usize>N) << 2)
      for (let k = 0; k < K; k++) {
        const s = load<f32>(arow + ((<usize>k) << 2))
        const av = f32x4.splat(s)
        const brow = b + ((<usize>k * N) << 2)
        let j = 0
        for (; j < n4; j += 4) {
          const p = crow + ((<usize>j) << 2)
          v128.store(p, fma(av, v128.load(brow + ((<usize>j) << 2)), v128.load(p)))
        }
        for (; j < N; j++) {
          const p = crow + ((<usize>j) << 2)
          store<f32>(p, load<f32>(p) + s * load<f32>(brow + ((<usize>j) << 2)))
        }
      }
    } else {
      for (let j = 0; j < N; j++) {
        const brow = b + ((<usize>j * K) << 2)
        let acc = f32x4.splat(0)
        let k = 0
        for (; k < k4; k += 4) acc = fma(v128.load(arow + ((<usize>k) << 2)), v128.load(brow + ((<usize>k) << 2)), acc)
        let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3)
        for (; k < K; k++) sum += load<f32>(arow + ((<usize>k) << 2)) * load<f32>(brow + ((<usize>k) << 2))
        const p = crow + ((<usize>j) << 2)
        store<f32>(p, accumulate != 0 ? load<f32>(p) + sum : sum)
      }
    }
  }
}
