/**
 * A chart's words for a screen reader, following `now` but changed on the page at most every `ms`: the summaries are
 * recomputed with every batch or epoch (cheap), and a learner reading one is not interrupted by a new number a few
 * times a second. The loss and epoch charts each had this timer of their own. Call it while a component is being
 * set up: its effect, and a change still waiting, go with the component.
 */
import { untrack } from 'svelte'

export function throttledText(now: () => string, ms: number): { readonly text: string } {
  let text = $state(untrack(now))
  let shownAt = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  $effect(() => {
    now()
    if (timer !== null) return
    timer = setTimeout(() => {
      timer = null
      shownAt = Date.now()
      text = untrack(now)
    }, Math.max(0, shownAt + ms - Date.now()))
  })
  $effect(() => () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  })
  return {
    get text() {
      return text
    }
  }
}
