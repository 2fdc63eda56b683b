/**
 * The page's one way to write a fraction as a percentage. `(v * 100).toFixed(1)` rounds the binary double, so a
 * held-out accuracy of 1881/2000 = 0.9405 (the double 94.04999… once multiplied) read "94.0%" where a learner
 * dividing by hand gets 94.1 % (Q2's G10). Here the figure is first cut to 12 significant digits, which drops the
 * binary noise, and then rounded half away from zero, as by hand.
 */

/** v (a fraction, 0.9405) as a percentage's digits with `decimals` decimals ("94.1"), no % sign. */
export function percentDigits(v: number, decimals = 1): string {
  if (!Number.isFinite(v)) return String(v)
  const scaled = Number((Math.abs(v) * 100 * 10 ** decimals).toPrecision(12))
  const r = (Math.round(scaled) / 10 ** decimals) * Math.sign(v)
  return (r === 0 ? 0 : r).toFixed(decimals)
}

/** v as a percentage with its sign: 0.9405 → "94.1%". */
export function percent(v: number, decimals = 1): string {
  return `${percentDigits(v, decimals)}%`
}
