/**
 * The training worker (worker_threads entry). It speaks protocol.ts: WorkerCommand in,
 * WorkerEvent out; all logic lives in train/session.ts so tests can drive it without a thread.
 * The same file also serves as a data-parallel replica thread (workerData.role 'replica'),
 * which the training worker starts for runs with more than one thread, and as the host's inference
 * thread (workerData.role 'infer', train/inference.ts), which answers predictions during training.
 * A training worker whose threads lower their priority is started behind a relay thread
 * (src-main/worker-relay.ts): its parentPort then leads to the relay, not to the host's main thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import type { WorkerEvent } from './protocol'
import { WorkerSession } from './train/session'
import { loadTrainData } from './train/data'
import { errorMessage } from './train/errors'
import { runReplica } from './train/replica'
import { runGradcheck } from './train/gradcheck-run'
import { InferenceSession, type FeedPort } from './train/inference'
import { lowerThreadPriority } from './train/thread-priority'

// This file's own path (CommonJS bundle or ES module), to start replica threads from it.
const self = typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url)

const role = (workerData as { role?: string } | null)?.role
if (role === 'replica') {
  lowerThreadPriority()
  runReplica(workerData, () => parentPort?.postMessage({ type: 'replica-ready' }))
} else if (role === 'infer' && parentPort) {
  // The host's inference thread: predictions while the training thread is busy (train/inference.ts).
  const port = parentPort
  const inference = new InferenceSession((e) => port.postMessage(e), (workerData as { feed: FeedPort }).feed)
  port.on('message', (m: unknown) => inference.handle(m))
} else if (parentPort) {
  // The training thread yields to the host's event loop when the host asks (train/thread-priority.ts).
  lowerThreadPriority()
  const port = parentPort
  const post = (event: WorkerEvent, transfer?: ArrayBuffer[]): void => port.postMessage(event, transfer ?? [])
  const session = new WorkerSession(post, { loadData: loadTrainData, replicaEntry: self, gradcheck: runGradcheck, reportMemory: true })
  port.on('message', (m: unknown) => session.handle(m))
  process.on('uncaughtException', (e) => post({ type: 'error', runId: null, code: 'worker-error', message: errorMessage(e), params: { detail: errorMessage(e) } }))
  post({ type: 'ready' })
}
