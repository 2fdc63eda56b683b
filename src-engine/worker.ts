/**
 * The training worker (worker_threads entry). It speaks protocol.ts: WorkerCommand in,
 * WorkerEvent out; all logic lives in train/session.ts so tests can drive it without a thread.
 */
import { parentPort } from 'node:worker_threads'
import type { WorkerEvent } from './protocol'
import { WorkerSession } from './train/session'
import { loadTrainData } from './train/data'
import { errorMessage } from './train/errors'

if (parentPort) {
  const port = parentPort
  const post = (event: WorkerEvent, transfer?: ArrayBuffer[]): void => port.postMessage(event, transfer ?? [])
  const session = new WorkerSession(post, { loadData: loadTrainData })
  port.on('message', (m: unknown) => session.handle(m))
  process.on('uncaughtException', (e) => post({ type: 'error', runId: null, code: 'worker-error', message: errorMessage(e) }))
  post({ type: 'ready' })
}
