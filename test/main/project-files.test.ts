/**
 * Desktop file handling of projects with a fake dialog: Save asks once then reuses the path, the
 * recent list is kept (and only its paths may be opened by the page), writes are atomic, and a
 * cancelled dialog is reported as 'canceled'. The fake worker stands in for the engine.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { RecentList, writeFileAtomic, webDataDir } from '../../src-main/file-store'
import type { FileAccess, FileKind } from '../../src-main/projects'
import type { LabHost } from '../../src-main/lab-host'
import { decodeProject } from '../../src-engine/io/project'
import { fakeHost, isState, mlpSpec, record, settings } from './helpers'

const hosts: LabHost[] = []
afterAll(async () => { await Promise.all(hosts.map((h) => h.dispose())) })

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'project-files-'))
  const asked: { save: string[]; open: FileKind[] } = { save: [], open: [] }
  const answers = { savePath: join(dir, 'chosen.bplab') as string | null, openPath: null as string | null }
  const recentSeen: string[][] = []
  const files: FileAccess = {
    askSavePath: async (name) => { asked.save.push(name); return answers.savePath },
    askOpenPath: async (kind) => { asked.open.push(kind); return answers.openPath },
    noteRecent: (_p, all) => { recentSeen.push(all) }
  }
  const host = fakeHost({ dataDir: join(dir, 'data'), files })
  hosts.push(host)
  const dispatch = createDispatcher(host)
  return { dir, asked, answers, recentSeen, host, call: (c: string, p?: unknown) => dispatch(c, p, true) }
}

describe('desktop project files', () => {
  it('Save asks where once, then writes there again; Save As asks again; both join the recent list', async () => {
    const s = setup()
    const rec = record(s.host)
    expect((await s.call('train:start', { spec: mlpSpec(), settings: settings() })).ok).toBe(true)
    await rec.waitFor(isState('running'))
    await s.call('train:stop')
    await rec.waitFor(isState('stopped'))
    const first = await s.call('project:save', { project: { spec: mlpSpec() }, to: 'save' })
    expect(first).toMatchObject({ ok: true, value: { fileName: 'chosen.bplab', path: join(s.dir, 'chosen.bplab'), hasWeights: true } })
    expect(s.asked.save).toEqual(['tiny-mlp.bplab'])
    expect(decodeProject(readFileSync(join(s.dir, 'chosen.bplab'))).weights).toBeDefined()
    const again = await s.call('project:save', { project: { spec: mlpSpec() }, to: 'save' })
    expect(again.ok).toBe(true)
    expect(s.asked.save).toHaveLength(1)
    s.answers.savePath = join(s.dir, 'other.bplab')
    expect((await s.call('project:save', { project: { spec: mlpSpec() }, to: 'save-as' })).ok).toBe(true)
    expect(s.asked.save).toHaveLength(2)
    const recent = await s.call('project:recent')
    expect(recent).toMatchObject({ ok: true, value: [{ name: 'other.bplab' }, { name: 'chosen.bplab' }] })
    expect(s.recentSeen.at(-1)).toEqual([join(s.dir, 'other.bplab'), join(s.dir, 'chosen.bplab')])
    // no temporary files left beside the project
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([])

    // Open a recent project; a path not on the list is refused (the page cannot name files to read).
    const opened = await s.call('project:open', { from: 'recent', path: join(s.dir, 'chosen.bplab') })
    expect(opened).toMatchObject({ ok: true, value: { fileName: 'chosen.bplab', hasWeights: true } })
    const sneaky = await s.call('project:open', { from: 'recent', path: '/etc/passwd' })
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'not-recent' } })
  })

  it('a cancelled dialog is "canceled", and the recent list survives a restart', async () => {
    const s = setup()
    s.answers.savePath = null
    expect(await s.call('project:save', { project: { spec: mlpSpec() }, to: 'save-as' })).toMatchObject({ ok: false, error: { code: 'canceled' } })
    expect(await s.call('project:open', { from: 'dialog' })).toMatchObject({ ok: false, error: { code: 'canceled' } })
    expect(s.asked.open).toEqual(['project'])
    expect(await s.call('model:import-weights', { spec: mlpSpec(), source: { from: 'dialog' } })).toMatchObject({ ok: false, error: { code: 'canceled' } })
    expect(s.asked.open).toEqual(['project', 'safetensors'])

    const file = join(s.dir, 'recent.json')
    new RecentList(file).add('/a.bplab')
    const list = new RecentList(file)
    list.add('/b.bplab')
    list.add('/a.bplab')
    expect(new RecentList(file).list()).toEqual(['/a.bplab', '/b.bplab'])
    writeFileSync(file, '{not json')
    expect(new RecentList(file).list()).toEqual([])
  })

  it('writes atomically and finds the web shell\'s data folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const p = join(dir, 'sub', 'f.bin')
    writeFileAtomic(p, new Uint8Array([1, 2, 3]))
    writeFileAtomic(p, new Uint8Array([4, 5]))
    expect([...readFileSync(p)]).toEqual([4, 5])
    expect(readdirSync(join(dir, 'sub'))).toEqual(['f.bin'])
    expect(webDataDir({ BACKPROP_LAB_DATA_DIR: '/x/y' })).toBe('/x/y')
    expect(webDataDir({})).toBe(join(tmpdir(), 'backprop-lab'))
    expect(existsSync(dir)).toBe(true)
  })
})
