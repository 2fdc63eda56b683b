import { tick } from 'svelte'

/**
 * A step button that its own press disables (an explainer's "Next" at the last step, "Previous" at the first) drops
 * the keyboard focus to the page in Chromium: no ring, Enter does nothing, a screen reader says nothing. After the
 * press, if the button is now disabled and the focus was on it (or fell to the page), the focus goes to `to`, the
 * button that leads back, as the training page's Pause/Resume hand it on (TrainControls nextControl).
 */
export async function handFocus(from: HTMLElement, to: HTMLElement | null | undefined): Promise<void> {
  await tick()
  const at = document.activeElement
  if (!(from as HTMLButtonElement).disabled || !to || (to as HTMLButtonElement).disabled) return
  if (at === from || at === null || at === document.body || !at.isConnected) to.focus()
}
