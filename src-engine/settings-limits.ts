/**
 * The ranges of a run's main training settings, in one place: the training form (src-renderer/lib/train-form.ts
 * formProblems), the host's payload check (src-main/ipc/validate.ts trainSettingsSchema) and the reader of a saved
 * history (src-main/ipc/project-schemas.ts), so what a file may claim a run used is what Start would have taken.
 */

/** Learning rate: above 0, at most LR_MAX. */
export const LR_MAX = 10
/** Mini-batch size: a whole number from 1 to BATCH_MAX. */
export const BATCH_MAX = 4096
/** Epochs of one Start: a whole number from 1 to EPOCHS_MAX. */
export const EPOCHS_MAX = 1000
/** How many epochs a continued run may already have behind it (train:start's epochOffset, a continuation's link). */
export const EPOCH_OFFSET_MAX = 1_000_000
