/**
 * Work put off until the page has drawn a frame. The training page spreads its opening over several tasks: its
 * charts (LossChart, EpochChart) and, a frame later, the panels under them (TrainPage) start this way.
 */

/**
 * Runs `fn` in a task of its own once the next frame has been drawn; returns a cancel. The training
 * page creates its charts this way: Chart.js reads the canvas's computed size when it starts, which in
 * the page's mount forced the just-inserted page's style and layout into the mount's task (one task of
 * 75–100 ms on opening the page while a run trained).
 */
export function afterNextFrame(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(fn, 0)
  })
  return () => {
    cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
}
