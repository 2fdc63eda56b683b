/**
 * How strongly a confusion-matrix cell is tinted: green (--ok) on the diagonal, red (--error) off it, mixed into
 * the tile colour (--panel-2) by this share. The cell's count is written on the tint in the theme's text colour, so
 * the tint stops at CELL_TINT_MAX: a trained model's diagonal at 0.88 of the green put its counts at 3.4 : 1 in the
 * light theme and 2.2 : 1 in the dark one (off the diagonal, red at 0.9: 3.4 and 2.4). At 0.45 the counts read
 * 7.1 : 1 or more in light and 4.9 : 1 or more in dark (test/ui/theme-contrast.test.ts).
 */
export const CELL_TINT_MAX = 0.45

/** The tint of a cell that holds `share` of its true class's examples (0..1); `diag`: the class itself. */
export function cellTint(diag: boolean, share: number): number {
  const s = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0
  // the diagonal from a faint 0.12 up; a wrong class shows from its first few examples (2 % of a class is 0.15)
  return diag ? 0.12 + (CELL_TINT_MAX - 0.12) * s : Math.min(CELL_TINT_MAX, 0.1 + 2.5 * s)
}
