// Test-only worker entry: a data-parallel replica thread (the app's worker.ts routes role 'replica' the same way).
import { parentPort, workerData } from 'node:worker_threads'
import { runReplica } from '../../../src-engine/train/replica'

runReplica(workerData, () => parentPort!.postMessage({ type: 'replica-ready' }))
