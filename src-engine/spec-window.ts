/**
 * Sliding-window geometry for Convolution and Pooling in shape inference: output size, the formula
 * with numbers filled in, and — when the numbers do not work — strides, pads or window sizes that do.
 * The arithmetic itself is convOutSize (kernels/conv-geometry.ts), the one place the formula lives.
 */
import { convOutSize } from './kernels/conv-geometry'
import { Issues, orList } from './spec-issues'

/** `exact` false: the size is not a whole number (reported); oh and ow are then the rounded-down sizes, not a shape. */
export interface WindowResult { oh: number; ow: number; formula: string; exact: boolean }

/** Does window k with stride s and pad p tile both H and W exactly? */
function fits(H: number, W: number, k: number, s: number, p: number): boolean {
  return convOutSize(H, k, s, p).exact && convOutSize(W, k, s, p).exact
}

/** How far the search for fixes looks (untrusted specs may hold kernels of a billion). */
const SEARCH = 32

/** Settings near the current ones that make the output size whole: strides ≤ k, pads < k, window sizes. */
export function windowFixes(H: number, W: number, k: number, s: number, p: number): { strides: number[]; pads: number[]; sizes: number[] } {
  const strides: number[] = []
  for (let t = 1; t <= Math.min(k, SEARCH); t++) if (t !== s && fits(H, W, k, t, p)) strides.push(t)
  const pads: number[] = []
  for (let q = 0; q < Math.min(k, SEARCH) && pads.length < 2; q++) if (q !== p && fits(H, W, k, s, q)) pads.push(q)
  const sizes: number[] = []
  const limit = Math.min(H, W) + 2 * p
  // nearest window sizes first, smaller one first on a tie
  for (let d = 1; d <= SEARCH && sizes.length < 2 && (k - d >= 1 || k + d <= limit); d++) {
    if (k - d >= 1 && fits(H, W, k - d, s, p)) sizes.push(k - d)
    if (sizes.length < 2 && k + d <= limit && fits(H, W, k + d, s, p)) sizes.push(k + d)
  }
  return { strides, pads, sizes }
}

/**
 * What makes a window that does not fit (k > m + 2p, m the smaller side) fit with a whole output size, keeping the
 * layer's stride where it can (Q7's F3: "a window of at most 1, or padding 1 or more" for a 2×2 stride-2 pooling on a
 * 1×1 map gave (1 + 2 − 2) / 2 + 1 = 1.5, a new error). Window sizes that fit, largest first (at most two); pads that
 * fit, smallest first, below the window (more only adds zeros: the pad-not-smaller-than-kernel warning); and when no
 * pad does, the smallest pad with a stride that makes it whole.
 */
export function tooLargeFixes(
  H: number, W: number, k: number, s: number, p: number, pool = false
): { sizes: number[]; pads: number[]; stridePad: [number, number] | null; remove: boolean } {
  const m = Math.min(H, W)
  const sizes: number[] = []
  let remove = false
  for (let z = Math.min(m + 2 * p, k - 1), n = 0; z >= 1 && sizes.length < 2 && n < 8 * SEARCH; z--, n++) {
    if (!fits(H, W, z, s, p)) continue
    // a pooling window that gives back its input unchanged (1×1, no pad, the map's own size out: a 1×1 map, or stride
    // 1) does nothing: the layer is better removed, and "use a 1×1 window" is said so (M37's note on Q7's F3)
    if (pool && z === 1 && p === 0 && convOutSize(H, 1, s, 0).size === H && convOutSize(W, 1, s, 0).size === W) remove = true
    else sizes.push(z)
  }
  const minPad = Math.ceil((k - m) / 2)
  const pads: number[] = []
  const top = Math.min(k - 1, minPad + SEARCH)
  for (let q = Math.max(minPad, p + 1); q <= top && pads.length < 2; q++) if (fits(H, W, k, s, q)) pads.push(q)
  let stridePad: [number, number] | null = null
  for (let q = Math.max(minPad, p + 1); q <= top && !pads.length && !stridePad; q++) {
    for (let t = 1; t <= Math.min(k, SEARCH); t++) if (t !== s && fits(H, W, k, t, q)) { stridePad = [t, q]; break }
  }
  return { sizes, pads, stridePad, remove }
}

/**
 * Output (OH, OW) of a conv/pool window over an (H, W) input, reporting on the layer when the window does not fit
 * (returns null) or the size is fractional (reports; `exact` false, the sizes rounded down: no shape follows from them).
 */
export function windowOut(
  kind: 'conv' | 'pool', H: number, W: number, k: number, s: number, p: number,
  index: number, name: string, issues: Issues
): WindowResult | null {
  const rh = convOutSize(H, k, s, p)
  const rw = convOutSize(W, k, s, p)
  const formula = H === W ? rh.formula : `H: ${rh.formula}; W: ${rw.formula}`
  const what = kind === 'conv' ? 'kernel' : 'window'
  const sizeField = kind === 'conv' ? 'kernel' : 'size'
  const m = Math.min(H, W)
  if (m + 2 * p < k) {
    const minPad = Math.ceil((k - m) / 2)
    // with stride 1 every smaller window and every larger pad gives a whole size; with another, only some do
    const { sizes, pads, stridePad, remove } = tooLargeFixes(H, W, k, s, p, kind === 'pool')
    const fixes: string[] = []
    if (remove) fixes.push('remove this layer (a 1×1 window would pass its input on unchanged)')
    if (sizes.length) fixes.push(`a ${orList(sizes.map((z) => `${z}×${z}`))} ${what}`)
    if (pads.length) fixes.push(`pad ${orList(pads)}`)
    if (stridePad) fixes.push(`stride ${stridePad[0]} with pad ${stridePad[1]}`)
    const advice = s === 1 && !remove ? `use a ${what} of at most ${m + 2 * p}, or pad ${minPad} or more`
      : fixes.length ? `${remove ? '' : 'use '}${fixes.join(', or ')}` : `change the ${what} size, stride or pad`
    issues.error(index, name, kind === 'conv' ? 'conv-kernel-too-large' : 'pool-window-too-large',
      `the ${k}×${k} ${what} is larger than the ${H}×${W} input with pad ${p} (${m} + 2·${p} = ${m + 2 * p}); ${advice}`,
      sizeField, {
        kernel: k, height: H, width: W, pad: p, stride: s, maxKernel: m + 2 * p, minPad, formula,
        sizes: sizes.join(', '), pads: pads.join(', '), stridePad: stridePad ? stridePad.join(', ') : '', ...(remove ? { remove: 1 } : {})
      })
    return null
  }
  const exact = rh.exact && rw.exact
  if (!exact) {
    const bad = H === W ? rh.formula
      : !rw.exact && !rh.exact ? `height ${rh.formula} and width ${rw.formula}`
      : !rh.exact ? `height ${rh.formula}` : `width ${rw.formula}`
    const { strides, pads, sizes } = windowFixes(H, W, k, s, p)
    const fixes: string[] = []
    if (strides.length) fixes.push(`stride ${orList(strides)}`)
    if (pads.length) fixes.push(`pad ${orList(pads)}`)
    if (!fixes.length && sizes.length) fixes.push(`a ${orList(sizes.map((z) => `${z}×${z}`))} ${what}`)
    const advice = fixes.length ? `use ${fixes.join(', or ')}` : `change the ${what} size, stride or pad`
    const plural = H !== W && !rh.exact && !rw.exact
    issues.error(index, name, kind === 'conv' ? 'conv-size-not-integer' : 'pool-size-not-integer',
      `${bad} ${plural ? 'are not whole numbers' : 'is not a whole number'}; ${advice}`,
      'stride', { formula: bad, strides: strides.join(', '), pads: pads.join(', '), sizes: sizes.join(', '), kernel: k, stride: s, pad: p })
  }
  return { oh: rh.size, ow: rw.size, formula, exact }
}
