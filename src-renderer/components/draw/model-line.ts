/**
 * Which model answers on the draw page, in one line (Q6's F10): the run that made it (as the run list names it), how far
 * it trained and its test result. A run stopped after 3 mini-batches answered "6, 41.5 %" to a clean "1", and nothing on
 * the page said it was not the 96.8 % model trained before it. The host's model is the last run started here
 * (trainLab.modelRunId) or, before any, an opened project's last run whose weights were kept; none: weights loaded with
 * no run (an import, a project saved without its runs). After a divergence, the weights the lab kept (DivergenceFacts.kept).
 */
import { t } from '../../i18n/index.svelte'
import { percent } from '../../lib/percent'
import { project } from '../../lib/project.svelte'
import { trainLab, type Run } from '../../lib/train.svelte'
import { runName } from '../train/run-label'

/** The line, and whether the model has had less than one epoch (the page then points to the training page). */
export interface ModelLine { text: string; barely: boolean }

/** The run whose model the host holds, or null (no run here made it). */
export function modelRun(): Run | null {
  const holder = trainLab.modelRunId ?? (project.weightsChoice === 'keep' ? trainLab.currentId : null)
  return trainLab.runs.find((r) => r.id === holder) ?? null
}

/** Mini-batches the run trained (its latest point; null for a run restored without one). */
function batchesOf(r: Run): number | null {
  const p = r.last
  return p ? (p.epoch - 1) * p.batches + p.batch : null
}

/** The test result after the run's latest epoch, in words. */
function resultOf(r: Run): string {
  const e = r.latestEpoch
  if (e?.testAcc != null && Number.isFinite(e.testAcc)) return t('draw.modelAcc', { v: percent(e.testAcc) })
  if (e?.reconstructionMse != null && Number.isFinite(e.reconstructionMse)) return t('draw.modelMse', { v: e.reconstructionMse.toFixed(4) })
  return t('draw.modelNoAcc')
}

export function modelLine(): ModelLine | null {
  if (!project.trained) return null
  const r = modelRun()
  if (!r) return { text: t('draw.modelLoaded'), barely: false }
  const name = runName(r, trainLab.runs)
  const kept = r.diverged ? r.divergence?.kept : undefined
  if (kept?.from === 'run') return { text: t('draw.modelKept', { name, epoch: kept.epoch + r.epochOffset, batch: kept.batch }), barely: false }
  if (kept?.from === 'before') return { text: t('draw.modelBefore', { n: r.index }), barely: false }
  // epochs finished by the model (a continuation's count those it continued), and what it has done beyond them
  const epochs = r.latestEpoch?.epoch ?? r.epochOffset
  const batches = batchesOf(r)
  const how = r.active ? t('draw.modelTraining', { e: r.progress.epoch, epochs: r.progress.epochs })
    : epochs > 0 ? t('draw.modelEpochs', { e: epochs })
    : batches !== null ? t('draw.modelBatches', { b: batches }) : t('draw.modelNoEpoch')
  return { text: t('draw.modelLine', { name, how, result: resultOf(r) }), barely: epochs === 0 }
}
