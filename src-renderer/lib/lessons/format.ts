/**
 * A number's text with a real minus sign (U+2212) for each ASCII hyphen: "-0.12" → "−0.12", "1.2e-4" → "1.2e−4". The
 * lab's one way to write a negative number: the explainers' grids (num), the training page's feature-map ranges and
 * enlarged map (FeatureMaps, MapZoom) and an autoencoder's code all show "−2"; the convolution stepper's filter cells,
 * number boxes, showed "-1" beside the feature map's "−2".
 */
export function minusSign(s: string): string {
  return s.replace(/-/g, '\u2212')
}

/** What a learner typed as a number, with a real minus sign read as a hyphen ("−1" is −1): the text minusSign writes reads back. */
export function plainMinus(s: string): string {
  return s.replace(/\u2212/g, '-')
}

/**
 * Number formatting for the explainers: a few significant decimals, trailing zeros dropped, a real minus sign.
 * A billion or more (a diverging optimizer's 1.03e+48) is written in powers of ten, infinity as ∞: neither is
 * left as JavaScript's digits, which ran past the table they were in.
 */
export function num(v: number, digits = 2): string {
  if (Number.isNaN(v)) return String(v)
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞'
  if (Math.abs(v) >= 1e9) return sci(v, digits)
  const r = Number(v.toFixed(digits))
  return minusSign((Object.is(r, -0) ? 0 : r).toString())
}

/** Scientific notation for errors and step sizes: 1.2e−4 → "1.2×10⁻⁴". */
export function sci(v: number, digits = 1): string {
  if (v === 0) return '0'
  const e = Math.floor(Math.log10(Math.abs(v)))
  const m = v / 10 ** e
  const sup = String(e).replace(/-/g, '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])
  return `${num(m, digits)}×10${sup}`
}

/** A CSS colour for value t in [0, 1] on one of the lab's colour maps. */
export { colorAt } from '../colormap'

/** A power of ten as a tick label: 0 → "1", −4 → "10⁻⁴". */
export function pow10(e: number): string {
  if (e === 0) return '1'
  return `10${String(e).replace('-', '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])}`
}
