/** The desktop's dialogs for projects (Electron mocked: its binary cannot be downloaded here). */
import { describe, expect, it, vi } from 'vitest'

const calls: { kind: string; args: unknown[] }[] = []
let answer: { canceled: boolean; filePath?: string; filePaths?: string[] } = { canceled: false }

vi.mock('electron', () => ({
  app: {
    getPath: (name: string) => `/home/learner/${name}`,
    addRecentDocument: (p: string) => calls.push({ kind: 'recent', args: [p] })
  },
  dialog: {
    showSaveDialog: async (...args: unknown[]) => { calls.push({ kind: 'save', args }); return answer },
    showOpenDialog: async (...args: unknown[]) => { calls.push({ kind: 'open', args }); return answer }
  }
}))

describe('electronFiles', () => {
  it('asks with the right filter in the documents folder, parented to the window; cancel gives null', async () => {
    const { electronFiles } = await import('../../src-main/files')
    const win = { id: 1 }
    const lists: string[][] = []
    const files = electronFiles(() => win as never, (all) => lists.push(all))
    answer = { canceled: false, filePath: '/home/learner/documents/net.bplab' }
    expect(await files.askSavePath('net.bplab', 'project')).toBe('/home/learner/documents/net.bplab')
    const [parent, opts] = calls.at(-1)!.args as [unknown, { defaultPath: string; filters: { extensions: string[] }[] }]
    expect(parent).toBe(win)
    expect(opts.defaultPath).toBe('/home/learner/documents/net.bplab')
    expect(opts.filters[0].extensions).toEqual(['bplab'])

    answer = { canceled: true }
    expect(await files.askSavePath('w.npz', 'npz')).toBeNull()
    expect(await files.askOpenPath('safetensors')).toBeNull()
    const open = calls.at(-1)!.args[1] as { filters: { extensions: string[] }[]; properties: string[] }
    expect(open.filters[0].extensions).toEqual(['safetensors'])
    expect(open.properties).toEqual(['openFile'])
    answer = { canceled: false, filePaths: ['/tmp/a.bplab'] }
    expect(await files.askOpenPath('project')).toBe('/tmp/a.bplab')

    files.noteRecent?.('/tmp/a.bplab', ['/tmp/a.bplab', '/tmp/b.bplab'])
    expect(calls.at(-1)).toEqual({ kind: 'recent', args: ['/tmp/a.bplab'] })
    expect(lists).toEqual([['/tmp/a.bplab', '/tmp/b.bplab']])
  })
})

describe('a failed read or write', () => {
  it('is given a case the page has its own sentence for when the system names a known reason (read-failed, write-failed)', async () => {
    const { fsFailureCase } = await import('../../src-main/projects')
    const { readFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    let folder: unknown
    try {
      readFileSync(tmpdir())
    } catch (e) {
      folder = e
    }
    expect(fsFailureCase(folder, false)).toEqual({ case: 'is-folder' })
    const err = (code: string): Error => Object.assign(new Error(`${code}: …`), { code })
    expect(fsFailureCase(err('EACCES'), false)).toEqual({ case: 'permission' })
    expect(fsFailureCase(err('EPERM'), true)).toEqual({ case: 'permission' })
    expect(fsFailureCase(err('ENOSPC'), true)).toEqual({ case: 'no-space' })
    expect(fsFailureCase(err('EROFS'), true)).toEqual({ case: 'read-only' })
    // anything else keeps the system's text, which the page labels as such
    expect(fsFailureCase(err('EIO'), true)).toEqual({})
    expect(fsFailureCase(new Error('differs from what was written'), true)).toEqual({})
  })
})
