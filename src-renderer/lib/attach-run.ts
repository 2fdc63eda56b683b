/**
 * A page that connects while the host trains takes the run over (train:current, Q1's F1). Before, a page loaded again
 * during a run (F5 in the web shell; in Electron a renderer reloaded, or come back after a crash) showed "Ready · epoch
 * 0", an empty run list and Pause/Stop off, while Start was refused as long as the run went on; a paused run then
 * blocked training, opening and importing until the lab was started again.
 *
 * Now, each time the connection opens (lib/connection.svelte.ts), the page asks for the host's latest run. A live one
 * (running or paused) becomes the page's current run: the runs the host tracked (the autosave's history: their curves
 * and epoch reports), the live one with its state, progress, learning rate and last snapshot, so Pause, Resume, Stop,
 * Step and the learning rate work and the charts carry on with the events that follow. On a page just loaded whose
 * editor the learner has not touched, the editor shows the running network and the form its settings, and the training
 * page opens; otherwise the learner's architecture stays as it is (the run is listed under its own name). A run the
 * page already lists (a reconnection) is brought up to date instead: its state, and the points and epochs it missed.
 *
 * A run that has ended (done, or stopped by the learner) whose trained model the host still holds (CurrentRun.modelHeld)
 * is taken over too by a page just loaded and untouched (Q3's F6): before, F5 after a finished run left the host's
 * model (the draw page predicted with it) but the training page said "Ready · epoch 0 / 5" with an empty run list, the
 * form at its defaults and no Continue. Now the runs come back, the last one current with its settings in the form, and
 * Continue trains its model on; the page stays where it is (nothing is going on to watch). A page with runs or edits of
 * its own, a failed run, or a model the host no longer holds as that run's (a project opened since) changes nothing.
 */
import type { CurrentRun, LabApi } from '../../src-main/ipc/contract'
import type { NetSpec } from '../../src-engine/spec-types'
import { editor } from './editor.svelte'
import { project } from './project.svelte'
import { epochPosition, netKind, Run, RUN_COLORS, trainLab } from './train.svelte'
import { continuesLink, formFromSettings, restoredRuns } from './files.svelte'
import { presetList, validateSpec } from '../components/editor/engine'
import { sameSpec } from './same-spec'

/**
 * Asks the host for its current run and takes it over (attachRun); a host without the request changes nothing. Also
 * when another page starts a run (TrainLab.takeOver): its events, heard here, name a run this page does not know.
 */
export async function takeOverRun(api: LabApi, fresh: boolean): Promise<void> {
  // the events of the run are heard (held for its id) before the answer comes, so none falls between the two
  trainLab.ensureConnected(api)
  // while the answer is on its way (from before the request: the run's events can come with it), events of a run not
  // listed yet wait for it rather than ask again
  let answered = (): void => {}
  const done = new Promise<void>((resolve) => (answered = resolve))
  trainLab.takingOver = done
  try {
    const [r] = await Promise.all([api.request('train:current', undefined), trainLab.infoLoaded])
    if (r.ok) attachRun(r.value, fresh)
  } finally {
    if (trainLab.takingOver === done) trainLab.takingOver = null
    answered()
  }
}

trainLab.takeOver = (api) => takeOverRun(api, false)

/** `fresh`: the page's first connection since it loaded. */
export function attachRun(cur: CurrentRun | null, fresh: boolean): void {
  const live = cur !== null && (cur.state === 'running' || cur.state === 'paused' || cur.state === 'idle')
  const finished = cur !== null && cur.modelHeld === true && (cur.state === 'done' || cur.state === 'stopped')
  // runs the page thinks active that the host no longer trains (it was started again, or another run replaced them)
  for (const r of trainLab.runs) if (r.active && r.id !== cur?.runId) { r.pending = null; r.state = 'stopped' }
  // and what waited for their end (continueAtNormalPriority) no longer waits: the state events it waited for were missed
  trainLab.endWaits()
  if (!cur) return
  // the host's autosave failing now, whose event a page loaded (or reconnected) since did not hear: its banner comes
  // back, and goes when the host has written one since (an older host says nothing: the page's own state stays)
  if (cur.autosaveFailed !== undefined) trainLab.autosaveTold(cur.autosaveFailed)
  const known = trainLab.runs.find((r) => r.id === cur.runId)
  if (known) {
    catchUp(known, cur)
    trainLab.endWaits()
    return
  }
  if (!(live || finished) || !validateSpec(cur.spec).ok) return
  const untouched = fresh && trainLab.runs.length === 0 && !project.trained && !editor.keeps(cur.spec)
  // an ended run has nothing to control: only a page that is the learner's as it was left takes it back
  if (!live && !untouched) return
  const kind = netKind(cur.spec)
  // a fresh page lists the runs the host tracked; one that has runs of its own gains the live one only, numbered on
  const runs = untouched ? restoredRuns(cur.history.runs, kind) : []
  const run = runs.find((r) => r.id === cur.runId) ?? listedNext(cur, kind)
  fill(run, cur)
  if (untouched && !(project.spec && sameSpec(project.spec, cur.spec))) {
    const preset = presetList().find((p) => sameSpec(p.spec, cur.spec))?.id ?? null
    editor.adopt(structuredClone(cur.spec), preset, false, true)
  }
  if (untouched) {
    // filled for the network as the training page fills it (the same spec and preset: it does not fill it again), then
    // with the run's settings, so a Start after the run trains what the run did
    const spec = trainLab.specToTrain(project.spec)
    trainLab.prepareForm(spec, trainLab.presetFor(spec, project.presetId))
    trainLab.form = formFromSettings(trainLab.form, cur.settings)
  }
  // The host holds one model, the live run's: the editor's network is trained only when it is that run's network. An
  // edited draft (or a page with runs of its own) keeps its network but not a trained mark for it: the batches heard
  // for the run would have set it (TrainLab.handle), and a model trained earlier for the draft is gone from the host.
  run.otherNet = !(project.spec && sameSpec(project.spec, cur.spec))
  trainLab.adopt(run, untouched ? runs : [...trainLab.runs, run])
  if (run.otherNet) project.trained = false
  else if (run.batchX.length > 0) project.trained = true
  if (untouched && live) project.page = 'train'
}

/** The live run as the next of the page's own runs (its number and colour), with the curve and epochs the host kept. */
function listedNext(cur: CurrentRun, kind: ReturnType<typeof netKind>): Run {
  const saved = cur.history.runs.find((r) => r.id === cur.runId)
  // a continuation keeps its link (its points and epochs are numbered on), to the page's run it continues when listed
  const c = saved?.continues
  const cont = c ? continuesLink(c, trainLab.runs, RUN_COLORS[(trainLab.nextIndex - 1) % RUN_COLORS.length]) : null
  const run = new Run(cur.runId, trainLab.nextIndex, cur.settings, cur.spec.name ?? '', kind, cont)
  if (saved) {
    run.batchX = saved.batchX.map((v) => v ?? NaN)
    run.batchLoss = saved.batchLoss.map((v) => v ?? NaN)
    run.epochs = saved.epochs
  }
  return run
}

/** The live run as the host knows it: state, network, learning rate, latest point and snapshot. */
function fill(run: Run, cur: CurrentRun): void {
  run.state = cur.state === 'idle' ? 'running' : cur.state
  run.pending = null
  run.spec = cur.spec
  run.lr = cur.lr
  run.lrChanges = lrChangesOf(run, cur)
  run.batchStride = cur.stride
  const report = trainLab.knownReport(cur.spec) ?? validateSpec(cur.spec as NetSpec)
  run.macsPerExample = report.ok ? report.totalMacs : 0
  if (cur.last) {
    run.last = cur.last
    if (Number.isFinite(cur.last.examplesPerSec) && cur.last.examplesPerSec > 0) run.examplesPerSec = cur.last.examplesPerSec
  }
  if (cur.snapshot) run.addSnapshot(cur.snapshot)
}

/** The run's live learning-rate changes where the page marks them (Run.nowX: the run's curve begins at xOffset). */
function lrChangesOf(run: Run, cur: CurrentRun): { x: number; lr: number }[] {
  return (cur.lrChanges ?? []).map((c) => ({ x: c.x + run.xOffset, lr: c.lr }))
}

/** A run the page lists, after a reconnection: its state, and what it reported while the page was not hearing. */
function catchUp(run: Run, cur: CurrentRun): void {
  if (!run.diverged && run.state !== cur.state) run.state = cur.state === 'idle' ? 'running' : cur.state
  run.pending = null
  run.lr = cur.lr
  if (cur.lrChanges.length > run.lrChanges.length) run.lrChanges = lrChangesOf(run, cur)
  const saved = cur.history.runs.find((r) => r.id === cur.runId)
  if (!saved) return
  if (cur.last && (!run.last || epochPosition(cur.last) > epochPosition(run.last))) {
    run.batchX = saved.batchX.map((v) => v ?? NaN)
    run.batchLoss = saved.batchLoss.map((v) => v ?? NaN)
    run.batchStride = cur.stride
    run.last = cur.last
  }
  if (saved.epochs.length > run.epochs.length) run.epochs = saved.epochs
}
