/**
 * The training worker (worker_threads entry). It speaks protocol.ts: WorkerCommand in,
 * WorkerEvent out; all logic lives in train/session.ts so tests can drive it without a thread.
 * The same file also serves as a data-parallel replica thread (workerData.role 'replica'),
 * which the training worker starts for runs with more than one thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import type { WorkerEvent } from './protocol'
import { WorkerSession } from './train/session'
import { loadTrainData } from './train/data'
import { errorMessage } from './train/errors'
import { runReplica } from './train/replica'
import { runGradcheck } from './train/gradcheck-run'

// This file's own path (CommonJS bundle or ES module), to start replica threads from it.
const self = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url)

if ((workerData as { role?: string } | null)?.role === 'replica') {
  runReplica(workerData, () => parentPort?.postMessage({ type: 'replica-ready' }))
} else if (parentPort) {
  const port = parentPort
  const post = (event: WorkerEvent, transfer?: ArrayBuffer[]): void => port.postMessage(event, transfer ?? [])
  const session = new WorkerSession(post, { loadData: loadTrainData, replicaEntry: self, gradcheck: runGradcheck })
  port.on('message', (m: unknown) => session.handle(m))
  process.on('uncaughtException', (e) => post({ type: 'error', runId: null, code: 'worker-error', message: errorMessage(e) }))
  post({ type: 'ready' })
}
