/**
 * The run list renders whatever runs it is given, one row each, also two with the same id (Q4's B2: a project whose
 * history held one run twice threw Svelte's each_key_duplicate in RunLegend and the training page never rendered; the
 * host now renames such a run, test/main/history-ids.test.ts, and the page no longer depends on it). Fails on the old
 * legend, keyed by id: the render throws.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen, within } from '@testing-library/svelte'
import type { SavedRun } from '../../../src-main/ipc/contract'
import { restoredRuns } from '../../../src-renderer/lib/files.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import RunLegend from '../../../src-renderer/components/train/RunLegend.svelte'
import ChartKey from '../../../src-renderer/components/train/ChartKey.svelte'
import { chartKey } from '../../../src-renderer/components/train/run-label'

const run = (id: string, color: string): SavedRun => ({
  id, specName: 'tiny MLP', state: 'done', batchX: [1], batchLoss: [2.3], color,
  settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 },
  epochs: [{ epoch: 1, trainLoss: 1.9, trainAcc: 0.5, testLoss: 1.8, testAcc: 0.55, seconds: 1 }]
})

afterEach(() => {
  cleanup()
  trainLab.runs = []
  trainLab.currentId = null
})

describe('the run list', () => {
  it('shows two runs with the same id as two rows instead of failing to render', () => {
    trainLab.runs = restoredRuns([run('a', '#1f77b4'), run('a', '#ff7f0e')], 'classifier')
    trainLab.currentId = 'a'
    render(RunLegend)
    const rows = within(screen.getByTestId('run-legend')).getAllByRole('listitem')
    expect(rows).toHaveLength(2)
    expect(rows.map((r) => r.textContent?.match(/#\d/)?.[0])).toEqual(['#1', '#2'])
  })

  it('gives each chart\'s colour key two entries too, where keying them by run id threw each_key_duplicate', () => {
    const runs = restoredRuns([run('a', '#1f77b4'), run('a', '#ff7f0e')], 'classifier')
    render(ChartKey, { entries: chartKey(runs, runs, new Set()), testid: 'key' })
    expect(screen.getByTestId('key').querySelectorAll('li')).toHaveLength(2)
  })
})
