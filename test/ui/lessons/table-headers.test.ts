/**
 * No explainer table has an empty column header (Q6's F11, axe's empty-table-header in lessons 1, 2, 7, 8, 9, 14, 15:
 * a screen reader read "blank column header"). The corner and bar columns have a visually hidden name.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render } from '@testing-library/svelte'
import type { Component } from 'svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ShapeFlow from '../../../src-renderer/components/explainers/ShapeFlow.svelte'
import SoftmaxLoss from '../../../src-renderer/components/explainers/SoftmaxLoss.svelte'
import OptimizerPaths from '../../../src-renderer/components/explainers/OptimizerPaths.svelte'
import SelfAttention from '../../../src-renderer/components/explainers/SelfAttention.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const cases: [string, Component][] = [['shape flow', ShapeFlow], ['softmax', SoftmaxLoss], ['optimizer paths', OptimizerPaths], ['self-attention', SelfAttention]]

describe('explainer tables', () => {
  for (const [name, C] of cases) {
    it(`name every column header: ${name} (en, ko)`, async () => {
      for (const lang of ['en', 'ko'] as const) {
        i18n.set(lang)
        const { unmount } = render(C)
        await flush()
        const th = [...document.querySelectorAll('th')]
        expect(th.length).toBeGreaterThan(0)
        expect(th.filter((h) => (h.textContent ?? '').trim() === '').map((h) => h.outerHTML)).toEqual([])
        unmount()
      }
    })
  }
})
