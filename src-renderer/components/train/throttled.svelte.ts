/**
 * A chart's words for a screen reader, following `now` but changed on the page at most every `ms`: the summaries are
 * recomputed with every batch or epoch (cheap), and a learner reading one is not interrupted by a new number a few
 * times a second. The loss and epoch charts each had this timer of their own. Call it while a component is being
 * set up: its effect, and a change still waiting, go with the component.
 */
import { untrack } from 'svelte'

export function throttledText(now: () => string, ms: number): { readonly text: string } {
  const v = throttled(now, ms)
  return {
    get text() {
      return v.value
    }
  }
}

/** The same for any value (the loss chart's table, rebuilt from the curve with each batch while it is open). */
export function throttled<T>(now: () => T, ms: number): { readonly value: T } {
  let text = $state.raw(untrack(now))
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
    get value() {
      return text
    }
  }
}
