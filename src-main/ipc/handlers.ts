/**
 * The one dispatcher behind both transports (Electron IPC and the web shell's WebSocket):
 * known channel? → trusted sender? → valid payload? → LabHost → Result. It never throws: a thrown
 * error inside is a bug, reported as `{ code: 'internal' }` rather than crossing the boundary.
 */
import { CHANNELS, type Channel, type Requests, type Result } from './contract'
import { validatePayload } from './validate'
import { refuse } from './refuse'
import type { LabHost } from '../lab-host'

/** What the dispatcher needs from LabHost (tests may pass a double). */
export type HostApi = Pick<LabHost,
  'info' | 'presets' | 'validate' | 'startRun' | 'pause' | 'resume' | 'stop' | 'step' | 'setLr' | 'setProbe' | 'predict' | 'samples' | 'exportModel' | 'projects' | 'decode' | 'aeViews' | 'generate' | 'gradcheck' | 'cancelGradcheck' | 'heldModel' | 'idxClasses' | 'currentRun' | 'forgetRuns'>

type Route<C extends Channel> = (host: HostApi, payload: Requests[C][0]) => Result<Requests[C][1]> | Promise<Result<Requests[C][1]>>

/** Every channel of the contract maps to one LabHost call (a missing channel is a type error). */
const routes: { [C in Channel]: Route<C> } = {
  'app:info': (h) => h.info(),
  'preset:list': (h) => h.presets(),
  'spec:validate': (h, spec) => h.validate(spec),
  'train:start': (h, p) => h.startRun(p.spec, p.settings, p.from === 'model', p.epochOffset, p.xOffset),
  'train:pause': (h) => h.pause(),
  'train:resume': (h) => h.resume(),
  'train:stop': (h) => h.stop(),
  'train:step': (h) => h.step(),
  'train:set-lr': (h, p) => h.setLr(p.lr),
  'train:set-probe': (h, p) => h.setProbe(p.input),
  'model:predict': (h, p) => h.predict(p.input, p.maps === true),
  'data:samples': (h, p) => h.samples(p.count, p.seed, p.data),
  'model:export': (h, p) => h.exportModel(p.format),
  'project:save': (h, p) => h.projects.save(p.project, p.to),
  'project:open': (h, p) => h.projects.open(p),
  'project:recent': (h) => h.projects.recent(),
  'project:recovery': (h) => h.projects.recovery(),
  'project:discard-recovery': (h) => h.projects.discardRecovery(),
  'model:import-weights': (h, p) => h.projects.importWeights(p.spec, p.source),
  'model:save-export': (h, p) => h.projects.saveExport(p.format),
  'model:decode': (h, p) => h.decode(p.code),
  'model:ae-views': (h, p) => h.aeViews(p.data, p.testFraction),
  'model:generate': (h, p) => h.generate(p.prompt, p.length, p.temperature, p.seed ?? 1),
  'model:gradcheck': (h, p) => h.gradcheck(p.spec, p.seed ?? 1, p.samples, p.bug === true),
  'model:gradcheck-cancel': (h) => h.cancelGradcheck(),
  'data:text-upload': (h, p) => h.projects.storeText(p),
  'data:texts': (h) => h.projects.keptTexts(),
  'data:text-remove': (h, p) => h.projects.removeText(p.file),
  'model:held': (h) => h.heldModel(),
  'data:idx-classes': (h, p) => h.idxClasses(p.dir),
  'train:current': (h) => h.currentRun(),
  'train:forget-runs': (h, p) => h.forgetRuns(p.ids)
}

const KNOWN: ReadonlySet<string> = new Set(CHANNELS)

export type Dispatch = (channel: unknown, payload: unknown, senderOk: boolean) => Promise<Result<unknown>>

/** Builds the dispatcher `handle(channel, payload, senderOk)` over one host. */
export function createDispatcher(host: HostApi): Dispatch {
  return async function handle(channel, payload, senderOk) {
    if (typeof channel !== 'string' || !KNOWN.has(channel)) {
      const shown = typeof channel === 'string' ? `"${channel.slice(0, 60)}"` : typeof channel
      return refuse('unknown-channel', `Unknown request channel ${shown}; the contract lists ${CHANNELS.join(', ')}.`, { channel: typeof channel === 'string' ? channel.slice(0, 60) : typeof channel })
    }
    if (senderOk !== true) {
      return refuse('forbidden-sender', `Request "${channel}" refused: it did not come from the lab's own page.`, { channel })
    }
    const c = channel as Channel
    const checked = validatePayload(c, payload)
    if (!checked.ok) return checked
    try {
      const route = routes[c] as Route<Channel>
      return await route(host, checked.value as never)
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e)
      return refuse('internal', `"${c}" failed unexpectedly: ${detail}`, { channel: c, detail })
    }
  }
}
