/**
 * When the host retires the training thread after a run (src-main/lab-host.ts `retireIfSpare`). A WebAssembly memory
 * grows and never shrinks: a run with big batches leaves its thread's engine memory at what that run touched (a
 * stopped Keras CNN run at batch 4,096 on two threads kept the web shell at 2.6 GB for the rest of the session), though
 * the model it holds needs a few megabytes of it (its weights, gradients and optimizer state: heldBytes). Only ending
 * the thread gives the pages back, so the host moves the model (weights, optimizer state, vocabulary) into a fresh
 * thread, as for a change of priority, when the memory kept beyond the model's needs passes SPARE_BYTES_LIMIT.
 */

/**
 * Engine memory a thread may keep beyond what its model needs before it is retired. Above what the presets touch at
 * their own batch sizes on one or two threads (Keras CNN, the largest, ≈ 300 MB at batch 100 on two), so that their
 * runs keep their thread (and its loaded data) and only an unusually large run costs the next one a fresh thread.
 */
export const SPARE_BYTES_LIMIT = 512 * 1024 * 1024

/** The engine memory of the training thread after a run (WorkerEvent 'memory'): what it keeps, what its model needs. */
export interface ThreadMemory {
  /** Bytes of engine memory the thread's allocators have touched (EngineMemory.touchedBytes): kept while it lives. */
  touched: number
  /**
   * Bytes the model it holds needs there, which a fresh thread taking it would touch again: its weights, their
   * gradients and its optimizer's state (heldBytes; none without a model).
   */
  held: number
}

/**
 * Whether the thread keeps so much more memory than its model needs (more than `spare` bytes beyond it) that a fresh
 * thread should take the model.
 */
export function worthRetiring(m: ThreadMemory, spare = SPARE_BYTES_LIMIT): boolean {
  return m.touched - m.held > spare
}

/** The float32 values a held model keeps in engine memory, as the session counts them from the model and optimizer. */
export interface HeldValues {
  /** The model's parameters (Sequential.paramCount). */
  params: number
  /** Their gradients (as many, each layer's `grads`). */
  grads: number
  /**
   * The optimizer state that goes with the model (Optimizer.stateValues: Adam's m and v, 2 a parameter; momentum's
   * v, 1; SGD none): in engine memory beside the weights while it updates them, and moved with the model, so a
   * fresh thread's next run from it places it there again.
   */
  optimizer: number
}

/**
 * The engine memory a held model needs, 4 bytes a value: for Adam 16 bytes a parameter. (The last good weights a run
 * copies, last-good.ts, are ordinary memory and dropped when the run ends: not engine memory, not counted.)
 */
export function heldBytes(v: HeldValues): number {
  return 4 * (v.params + v.grads + v.optimizer)
}
