/** How sure the network was, as a percentage a learner can trust at a glance. */

/**
 * A softmax probability as a percentage: whole percents below 99.5 %, and above that one decimal rounded
 * down, so a probability short of 1 never reads "100%" (a confidently wrong 0.996 showed as "100%", and a
 * class asked how a network can be 100 % sure and wrong). Only a probability of exactly 1, which float32's
 * softmax does reach for a large enough score gap, reads 100%.
 */
export function confidencePercent(p: number): string {
  if (!Number.isFinite(p)) return '—'
  if (p >= 1) return '100%'
  if (p * 100 < 99.5) return `${Math.round(Math.max(0, p) * 100)}%`
  return `${(Math.floor(p * 1000) / 10).toFixed(1)}%`
}
