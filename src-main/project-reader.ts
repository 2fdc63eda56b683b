/**
 * The project reader thread (a bundle entry of its own): reads one project, uploaded text or weights file (workerData,
 * a ProjectJob, TextJob or WeightsJob), answers once with its arrays transferred, and ends. project-read.ts starts it and says why.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { readProjectJob, readTextJob, readWeightsJob, replyTransfers, type ProjectJob, type TextJob, type WeightsJob } from './project-read'

// only as a reader thread: imported anywhere else (a test resolving the entry's path) it does nothing
const job = workerData as ProjectJob | TextJob | WeightsJob | null
if (parentPort && job !== null && typeof job === 'object' && typeof job.name === 'string') {
  const reply = 'text' in job ? readTextJob(job) : 'weights' in job ? readWeightsJob(job) : readProjectJob(job)
  parentPort.postMessage(reply, replyTransfers(reply))
}
