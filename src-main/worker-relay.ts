/**
 * A relay thread between the host and a training worker whose threads run under SCHED_IDLE.
 *
 * Node posts a message by taking the receiving port's mutex and waking the receiver's event loop inside
 * it (MessagePortData::AddToIncomingQueue → uv_async_send). A woken thread of normal policy takes the
 * core from a SCHED_IDLE one at once, and its first step is to take that same mutex (MessagePort::OnMessage).
 * When other programs keep every core busy, the SCHED_IDLE sender then gets the core back only after a
 * second or so, and the woken thread waits that long. The host's main thread must never be that thread,
 * so a lowered training worker is started through this relay: a thread the main thread starts (so it
 * runs at the main thread's policy) that starts the training worker as its own child and passes messages
 * both ways. The training thread's events wake the relay, which waits out the inversion instead of the
 * main thread; the main thread only ever takes the relay's locks, and the relay never holds one while a
 * lowered thread needs it. Commands go through the relay too, so the main thread touches nothing of the
 * training thread's (its port, its Worker, its termination).
 *
 * What the host sees is the relay's Worker, and it behaves as the training worker's would: the same
 * messages in order, an uncaught error of the training thread re-thrown by the relay (an `error` event
 * with its message), the training thread's exit code as the relay's own, and terminate() ending both
 * (Node ends a thread's child workers with it). Every ArrayBuffer and MessagePort in a message is handed
 * on rather than copied: the relay keeps nothing of what it forwards, so whatever its sender transferred
 * or copied reaches the receiver as it left the sender.
 *
 * The relay runs from source text (`eval`), so it needs no bundle entry of its own, is the same under
 * Electron, the web shell and the tests, and loads no engine code.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { NICE_ENV } from '../src-engine/train/thread-priority'

/** The relay thread's program (CommonJS, run with `eval: true`). workerData: { entry, url, options }. */
const RELAY = `'use strict'
const { MessagePort, Worker, parentPort, workerData } = require('node:worker_threads')

// Every ArrayBuffer (not a SharedArrayBuffer) and MessagePort in a message, to transfer rather than copy.
function handOn(value, list, seen) {
  if (value === null || typeof value !== 'object' || seen.has(value)) return list
  seen.add(value)
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) list.add(value.buffer)
  } else if (value instanceof ArrayBuffer || value instanceof MessagePort) {
    list.add(value)
  } else if (Array.isArray(value)) {
    for (const v of value) handOn(v, list, seen)
  } else {
    for (const k of Object.keys(value)) handOn(value[k], list, seen)
  }
  return list
}
const transfers = (m) => [...handOn(m, new Set(), new Set())]

const { entry, url, options } = workerData
const child = new Worker(url ? new URL(entry) : entry, { ...options, transferList: transfers(options.workerData) })
child.on('message', (m) => parentPort.postMessage(m, transfers(m)))
parentPort.on('message', (m) => child.postMessage(m, transfers(m)))
child.on('error', (e) => { throw e })
child.on('messageerror', (e) => { throw e })
child.on('exit', (code) => process.exit(code))
`

/**
 * Starts the training worker `entry` with `options`: behind a relay thread when its environment asks its
 * threads to lower their priority (Linux, `BACKPROP_LAB_NICE`: train/thread-priority.ts), directly
 * otherwise (a worker at the main thread's priority costs no relay).
 */
export function startTrainingWorker(entry: string | URL, options?: WorkerOptions): Worker {
  const env = options?.env
  const lowered = process.platform === 'linux' && typeof env === 'object' && env !== null && (env as Record<string, unknown>)[NICE_ENV] !== undefined
  return lowered ? startRelayed(entry, options) : new Worker(entry, options)
}

/**
 * Starts `entry` as a worker with `options` behind a relay thread (see above); returns the relay's Worker.
 * `options.env` becomes the relay's environment, which the training worker inherits.
 */
export function startRelayed(entry: string | URL, options: WorkerOptions = {}): Worker {
  const { env, transferList, ...rest } = options
  return new Worker(RELAY, {
    eval: true,
    ...(env !== undefined ? { env } : {}),
    workerData: { entry: entry instanceof URL ? entry.href : entry, url: entry instanceof URL, options: rest },
    ...(transferList ? { transferList } : {})
  })
}
