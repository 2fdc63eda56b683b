/**
 * The gradient check of the editor's language model. An unedited char-LSTM preset was refused: it has no vocabulary
 * of its own (a run takes its text's), so the engine's check answered 'vocab' and the page told the learner to train
 * it once, which sets no vocabulary in the editor; with the vocabulary, its 64 steps were still about twice the work
 * the check allows. It is now checked with the vocabulary the editor sizes it by, on windows of 8 characters (every
 * weight keeps its shape), and the page says both (en, ko).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
import { textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import GradCheck from '../../../src-renderer/components/explainers/GradCheck.svelte'
import { editorCheck, LM_CHECK_STEPS, MAX_MACS } from '../../../src-renderer/lib/lessons/gradcheck'
import { explainGradients } from '../../../src-engine/train/gradcheck-run'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import { presetById } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FakeLab } from '../train/fake-lab'

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
const lstm = (): NetSpec => structuredClone(presetById('char-lstm')!.spec)
/** The char-LSTM preset scoring a fixed number of characters. */
function lspec(units: number): NetSpec {
  const spec = lstm()
  for (const l of spec.layers) if (l.type === 'TimeAffine') l.units = units
  return spec
}

afterEach(() => {
  cleanup()
  i18n.set('en')
  project.spec = null
  project.presetId = null
  trainLab.form = defaultsFor(null, 1)
  textUpload.kept = null
})

describe("the gradient check of the editor's language model", () => {
  const fake = new FakeLab()
  setLab(fake)
  afterAll(() => setLab(null))
  // the engine's own check of what the page sends, comparing 2 elements an array rather than the page's 10 (quicker)
  fake.handlers['model:gradcheck'] = (p) => {
    const q = p as { spec: NetSpec; seed: number; samples?: number; bug: boolean }
    return { ok: true, value: { ...explainGradients(q.spec, q.seed, { samples: 2, bug: q.bug }), ms: 1 } }
  }

  it('sends the preset with the vocabulary the editor sizes it by, on short windows, within what the check allows', () => {
    const spec = lstm()
    // as it came, the engine's check refuses it, and with a vocabulary its 64 steps are too much work
    expect(explainGradients(spec, 1, { samples: 10 })).toEqual({ ok: false, reason: 'vocab' })
    expect(validateSpec({ ...spec, vocab: 74 }).totalMacs).toBeGreaterThan(MAX_MACS)
    const sent = editorCheck(spec, 74)
    expect(sent.spec).toEqual({ ...spec, vocab: 74, input: [LM_CHECK_STEPS] })
    expect(sent.lm).toEqual({ steps: 8, from: 64, vocab: 74, source: 'text' })
    // every weight keeps its shape
    const shapes = (s: NetSpec): unknown => validateSpec(s).layers.map((l) => l.paramShapes)
    expect(shapes(sent.spec)).toEqual(shapes({ ...spec, vocab: 74 }))
    // a vocabulary the page does not know: the network's own, else the built-in text's standing in
    expect(editorCheck({ ...spec, vocab: 30 }, null).lm).toMatchObject({ vocab: 30, source: 'own' })
    expect(editorCheck(spec, null).lm).toMatchObject({ vocab: 74, source: 'builtin' })
    // scores fixed for another text (the editor warns): checked with the vocabulary it scores, not refused as invalid
    const fixed = lspec(65)
    expect(explainGradients(withVocab(fixed, 74), 1, { samples: 10 })).toEqual({ ok: false, reason: 'invalid' })
    const sentFixed = editorCheck(fixed, 74)
    expect(sentFixed.lm).toEqual({ steps: 8, from: 64, vocab: 65, source: 'own' })
    expect(explainGradients(sentFixed.spec, 1, { samples: 2 }).ok).toBe(true)
    // not a language model: sent as it is
    const rows: NetSpec = { input: [28, 28], layers: [{ type: 'TimeLSTM', hidden: 8 }, { type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    expect(editorCheck(rows, 74)).toEqual({ spec: rows, lm: null })
  })

  it('checks the unedited char-LSTM preset with the built-in text, and says how (en, ko)', async () => {
    i18n.set('en')
    project.spec = lstm()
    project.presetId = 'char-lstm'
    trainLab.form = defaultsFor(project.spec, 1)
    render(GradCheck)
    await tick()
    await fireEvent.change(screen.getByTestId('gc-net') as HTMLSelectElement, { target: { value: 'editor' } })
    await tick()
    expect(screen.queryByTestId('gc-problem')).toBeNull()
    const rows = screen.getAllByTestId('gc-row')
    expect(rows.map((r) => r.querySelector('.name')?.textContent)).toEqual(['embed1.W', 'lstm1.Wx', 'lstm1.Wh', 'lstm1.b', 'taffine1.W', 'taffine1.b'])
    expect(rows.every((r) => r.dataset.verdict !== 'bad')).toBe(true)
    // the embedding's rows are the built-in text's 74 characters, as in the editor
    expect(rows[0].textContent).toContain(`2 / ${(74 * 64).toLocaleString('en')}`)
    const sent = fake.calls.filter((c) => c.channel === 'model:gradcheck').at(-1)?.payload as { spec: NetSpec; samples: number }
    expect(sent).toMatchObject({ spec: { vocab: 74, input: [8] }, samples: 10 })
    expect(screen.getByTestId('gc-lm').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'It is checked on windows of 8 characters instead of 64: every weight has the same shape whatever the window, and the check takes a fraction of the time. ' +
        'Its vocabulary is the 74 characters of the text chosen on the training page, as in the editor.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('gc-lm').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '여기서는 64글자 구간 대신 8글자 구간으로 확인합니다. 구간 길이가 달라도 가중치의 형상은 같고, 확인은 훨씬 빨리 끝납니다. ' +
        '어휘는 편집기에서처럼 학습 페이지에서 고른 텍스트의 문자 74가지입니다.')
  })

  it("uses an uploaded text's vocabulary when the form names it", async () => {
    i18n.set('en')
    textUpload.kept = [{ file: '/host/texts/diary-0123456789abcdef.txt', fileName: 'diary.txt', chars: 5000, vocab: 80 }]
    project.spec = lstm()
    trainLab.form = { ...defaultsFor(project.spec, 1), textFile: '/host/texts/diary-0123456789abcdef.txt' }
    fake.calls.length = 0
    render(GradCheck)
    await tick()
    await fireEvent.change(screen.getByTestId('gc-net') as HTMLSelectElement, { target: { value: 'editor' } })
    await tick()
    const sent = fake.calls.filter((c) => c.channel === 'model:gradcheck').at(-1)?.payload as { spec: NetSpec }
    expect(sent.spec).toMatchObject({ vocab: 80, input: [8] })
    expect(screen.getByTestId('gc-lm').textContent).toContain('Its vocabulary is the 80 characters of the text chosen on the training page')
  })
})
