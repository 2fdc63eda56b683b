/**
 * Runs restored after a reload (the host's history, attach-run.ts) or from a project each know their own network
 * (Q5's F4, M32). Before, every restored run took the kind of the current run's network and kept no network: a
 * char-LSTM run listed beside the overfitting experiment's read '32.8%' (an accuracy) where it had read perplexity
 * 10.3 live, and the experiment's dropout run, whose network was known only by its title, was drawn faint as
 * "another network" than the current run's.
 */
import { describe, expect, it } from 'vitest'
import type { SavedRun } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { PRESETS } from '../../../src-engine/models/presets'
import { restoredRuns, savedRun } from '../../../src-renderer/lib/files.svelte'
import { overfitSpec } from '../../../src-renderer/lib/lessons/overfit.svelte'
import { otherNetworks } from '../../../src-renderer/components/train/series'
import { runName } from '../../../src-renderer/components/train/run-label'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

const mnist: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 1, weightDecay: 0, seed: 7, threads: 1 }
const text: TrainSettings = { ...mnist, data: { kind: 'text', file: '/texts/a.txt' } }
const lmReport = { epoch: 1, trainLoss: 2.4, trainAcc: 0.3, testLoss: 2.3322, testAcc: 0.328, seconds: 200, perplexity: 10.3 }
const report = { epoch: 1, trainLoss: 0.3, trainAcc: 0.9, testLoss: 0.42, testAcc: 0.894, seconds: 20 }
const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec
const run = (id: string, settings: TrainSettings, spec: NetSpec | undefined, lm = false): SavedRun => ({
  id, specName: spec?.name ?? 'a network', settings, state: 'done', batchX: [1], batchLoss: [1], epochs: [lm ? lmReport : report], ...(spec ? { spec } : {})
})

describe('a restored run and its network', () => {
  it("each run takes its own network's kind and network, so the charts tell networks apart by their layers", () => {
    const plain = overfitSpec('plain', 'MLP 200-200')
    const dropout = overfitSpec('dropout', 'MLP 200-200 + 드롭아웃 0.5')
    const runs = restoredRuns([run('lm', text, charLstm, true), run('a', mnist, plain), run('b', mnist, dropout)], 'classifier')
    expect(runs.map((r) => r.kind)).toEqual(['language-model', 'classifier', 'classifier'])
    // the language model's figure is its perplexity, as it was live
    expect(runs[0].isLm).toBe(true)
    expect(runs.map((r) => r.spec)).toEqual([charLstm, plain, dropout])
    // the dropout run is the same network as the current one (drawn full); the char-LSTM's is another
    expect([...otherNetworks(runs, runs[1])]).toEqual(['lm'])
    // named in the page's language: the dropout tag, not the Korean title of the day it ran (the networks are one)
    i18n.set('en')
    expect(runName(runs[2], runs.slice(1))).toContain('dropout 0.5')
    expect(runName(runs[2], runs.slice(1))).not.toContain('드롭아웃')
    // and a project saved from the page keeps each run's network
    expect(runs.map((r) => savedRun(r).spec)).toEqual([charLstm, plain, dropout])
  })

  it('a run saved without its network (older projects) is a language model when it trained on a text', () => {
    const runs = restoredRuns([run('lm', text, undefined, true), run('a', mnist, undefined)], 'language-model')
    expect(runs.map((r) => [r.kind, r.spec])).toEqual([['language-model', null], ['classifier', null]])
    expect(restoredRuns([run('a', mnist, undefined)], 'autoencoder')[0].kind).toBe('autoencoder')
    expect(savedRun(runs[0])).not.toHaveProperty('spec')
  })

  it('a network that is not a valid one is not used', () => {
    const broken = { name: 'x', input: [1, 28, 28], layers: [{ type: 'NoSuchLayer' }] } as unknown as NetSpec
    const [r] = restoredRuns([run('a', mnist, broken)], 'classifier')
    expect([r.kind, r.spec]).toEqual(['classifier', null])
  })
})
