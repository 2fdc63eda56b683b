/**
 * The learning rate each epoch really trained with is part of its report (EpochReport.lr), so a run's history keeps it:
 * before, only the page that heard a live change knew it, and a page loaded again, a second window or a reopened project
 * showed the starting rate for an epoch that trained at another (M39's finding: 0.002 for an epoch trained at 0.0005).
 */
import { describe, expect, it } from 'vitest'
import { Trainer, type TrainerEvent } from '../../../src-engine/train/trainer'
import { EpochRates } from '../../../src-engine/train/epoch-lr'
import { LR_KEPT } from '../../../src-engine/protocol'
import { SGD_SETTINGS, TINY_MLP, smallDigits } from './fixtures'

describe('an epoch report’s learning rates', () => {
  it('are those its mini-batches trained with: a live change inside an epoch, one on its boundary the next epoch’s', async () => {
    let t: Trainer | null = null
    // like set-lr from the worker's port: applied between two batches (the event comes after a batch's update)
    const changes: Record<string, number> = { '1:12': 0.05, '2:6': 0.02, '2:7': 0.02, '2:9': 0.01 }
    const emit = (e: TrainerEvent): void => {
      if (e.type !== 'batch') return
      const lr = changes[`${e.point.epoch}:${e.point.batch}`]
      if (lr !== undefined) t!.setLr(lr)
    }
    t = new Trainer({ spec: TINY_MLP, settings: { ...SGD_SETTINGS, epochs: 3 }, data: smallDigits() }, emit)
    const outcome = await t.run()
    expect(outcome.state).toBe('done')
    expect(outcome.reports.map((r) => r.lr)).toEqual([[SGD_SETTINGS.lr], [0.05, 0.02, 0.01], [0.01]])
    // setting the rate it already has is no change
    expect(outcome.reports.every((r) => r.lrLeftOut === undefined)).toBe(true)
  })

  it('are bounded: the first rate and the last ones kept, the changes between counted', () => {
    const r = new EpochRates()
    expect(r.report()).toEqual({})
    r.use(0.1)
    r.use(0.1)
    expect(r.report()).toEqual({ lr: [0.1] })
    for (let i = 1; i <= 100; i++) r.use(i / 1000)
    const { lr, lrLeftOut } = r.report()
    expect(lr).toHaveLength(LR_KEPT)
    expect(lr![0]).toBe(0.1)
    expect(lr!.slice(1)).toEqual([94, 95, 96, 97, 98, 99, 100].map((i) => i / 1000))
    expect(lrLeftOut).toBe(100 - (LR_KEPT - 1))
  })
})
