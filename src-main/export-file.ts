/**
 * File ▸ Export in the desktop app: the main process owns files, so it asks LabHost for the model,
 * asks the user where to save, writes, and reads the file back to verify it (bytes identical, and a
 * safetensors file must decode). The Electron dialogs come in as plain functions, so this is tested
 * without Electron.
 */
import { decodeSafetensors } from '../src-engine/io/safetensors'
import type { ExportedFile, ExportFormat, Result } from './ipc/contract'

export interface ExportDeps {
  exportModel(format: ExportFormat): Promise<Result<ExportedFile>>
  /** Asks where to save; null when the user cancels. */
  askPath(suggestedName: string, format: ExportFormat): Promise<string | null>
  write(path: string, bytes: Uint8Array): Promise<void>
  read(path: string): Promise<Uint8Array>
  /** Tells the user something went wrong (title, then what to do). */
  warn(title: string, detail: string): Promise<void>
}

export type ExportOutcome = 'saved' | 'cancelled' | 'failed'

export async function exportToFile(format: ExportFormat, deps: ExportDeps): Promise<ExportOutcome> {
  const made = await deps.exportModel(format)
  if (!made.ok) {
    await deps.warn('Nothing to export yet', made.error.message)
    return 'failed'
  }
  const path = await deps.askPath(made.value.fileName, format)
  if (!path) return 'cancelled'
  const bytes = new Uint8Array(Buffer.from(made.value.base64, 'base64'))
  try {
    await deps.write(path, bytes)
    const back = await deps.read(path)
    if (back.length !== bytes.length || !Buffer.from(back).equals(Buffer.from(bytes))) {
      throw new Error(`the file on disk (${back.length} bytes) differs from what was written (${bytes.length} bytes)`)
    }
    if (format === 'safetensors') decodeSafetensors(back, path)
  } catch (e) {
    await deps.warn('The export could not be saved', `${path}: ${e instanceof Error ? e.message : String(e)}. Choose another folder and try again.`)
    return 'failed'
  }
  return 'saved'
}
