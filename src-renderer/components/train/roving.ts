/**
 * Roving focus in a grid of cells that is one tab stop: where an arrow key, Home or End moves the focus from cell `at`
 * of `count` laid out `cols` to a row. ←/→ step through the cells in reading order (on to the next row), ↑/↓ go a row
 * up or down in the same column; nothing wraps round. Null: not a key that moves (or nowhere to go: the key still
 * belongs to the grid when the answer is `at`).
 */
export function gridStep(key: string, at: number, count: number, cols: number): number | null {
  if (count <= 0) return null
  const c = Math.max(1, Math.min(cols, count))
  switch (key) {
    case 'ArrowRight': return Math.min(count - 1, at + 1)
    case 'ArrowLeft': return Math.max(0, at - 1)
    case 'ArrowDown': return at + c < count ? at + c : at
    case 'ArrowUp': return at - c >= 0 ? at - c : at
    case 'Home': return 0
    case 'End': return count - 1
    default: return null
  }
}

/**
 * A marker on a w × h picture moved by the keyboard (the enlarged feature map, the LSTM gate heatmaps): ←/→/↑/↓ one
 * cell, Home/End to the row's ends, kept inside the picture. Null: not a key that moves.
 */
export function cellMove(key: string, at: { x: number; y: number }, w: number, h: number): { x: number; y: number } | null {
  const to = key === 'ArrowLeft' ? { x: at.x - 1, y: at.y } : key === 'ArrowRight' ? { x: at.x + 1, y: at.y }
    : key === 'ArrowUp' ? { x: at.x, y: at.y - 1 } : key === 'ArrowDown' ? { x: at.x, y: at.y + 1 }
    : key === 'Home' ? { x: 0, y: at.y } : key === 'End' ? { x: w - 1, y: at.y } : null
  return to && { x: Math.max(0, Math.min(w - 1, to.x)), y: Math.max(0, Math.min(h - 1, to.y)) }
}
