/** A LabApi double for the training page: records requests, answers from a table, and emits events on demand. */
import type { Channel, LabApi, LabEvent, PresetInfo, Requests, Result } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { TrainLab } from '../../../src-renderer/lib/train.svelte'

export const SIMPLE_CONVNET: NetSpec = {
  name: 'Simple ConvNet',
  input: [1, 28, 28],
  task: 'classify',
  layers: [
    { type: 'Convolution', filters: 30, kernel: 5 },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 100 },
    { type: 'Relu' },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

export const PRESETS: PresetInfo[] = [
  { id: 'mlp', title: 'Two-layer net', kind: 'mlp', spec: { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }] }, params: 7850 },
  { id: 'simple-convnet', title: 'Simple ConvNet', kind: 'cnn', spec: SIMPLE_CONVNET, params: 433_890, defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3 } }
]

type Handler = (payload: unknown) => Result<unknown> | Promise<Result<unknown>>

export class FakeLab implements LabApi {
  calls: { channel: Channel; payload: unknown }[] = []
  listeners = new Set<(e: LabEvent) => void>()
  handlers: Partial<Record<Channel, Handler>> = {}
  private runs = 0
  /** Like the worker: answer controls with a state event for the current run (off to test the wait). */
  echoState = true
  private runId: string | null = null

  constructor() {
    this.handlers['app:info'] = () => ({ ok: true, value: { version: '0.1.0', transport: 'web', threads: 2, platform: 'linux', priorityChoice: true } })
    this.handlers['preset:list'] = () => ({ ok: true, value: PRESETS })
    this.handlers['train:start'] = () => ({ ok: true, value: { runId: (this.runId = `run-${++this.runs}`) } })
    for (const c of ['train:step', 'train:set-lr', 'train:set-probe'] as const) {
      this.handlers[c] = () => ({ ok: true, value: null })
    }
    const control = (state: 'paused' | 'running' | 'stopped'): Handler => () => {
      const id = this.runId
      if (this.echoState && id) setTimeout(() => this.emit({ type: 'state', runId: id, state }), 0)
      return { ok: true, value: null }
    }
    this.handlers['train:pause'] = control('paused')
    this.handlers['train:resume'] = control('running')
    this.handlers['train:stop'] = control('stopped')
    this.handlers['data:samples'] = (p) => {
      const n = (p as { count: number }).count
      return { ok: true, value: { images: Array.from({ length: n }, (_, i) => new Array(784).fill(i / n)), labels: Array.from({ length: n }, (_, i) => i % 10) } }
    }
  }

  async request<C extends Channel>(channel: C, payload: Requests[C][0]): Promise<Result<Requests[C][1]>> {
    this.calls.push({ channel, payload })
    const h = this.handlers[channel]
    if (!h) return { ok: false, error: { code: 'unknown-channel', message: `no handler for ${channel}` } }
    return (await h(payload)) as Result<Requests[C][1]>
  }

  onEvent(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(e: LabEvent): void {
    for (const l of this.listeners) l(e)
  }

  channels(): Channel[] {
    return this.calls.map((c) => c.channel)
  }
}

/** Let pending promise callbacks run. */
export const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** A TrainLab connected to a new FakeLab, its first requests answered. */
export async function connected(): Promise<{ lab: TrainLab; fake: FakeLab }> {
  const fake = new FakeLab()
  const lab = new TrainLab()
  lab.connect(fake)
  await flush()
  return { lab, fake }
}
