/**
 * The project reader thread (a bundle entry of its own): reads one project (workerData, a ProjectJob), answers
 * once with its arrays transferred, and ends. project-read.ts starts it and says why.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { readProjectJob, replyTransfers, type ProjectJob } from './project-read'

const reply = readProjectJob(workerData as ProjectJob)
parentPort?.postMessage(reply, replyTransfers(reply))
