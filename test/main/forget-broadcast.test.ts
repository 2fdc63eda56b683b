/**
 * A second window is told that runs were forgotten (train:forget-runs): the host sends every page a 'forgotten' event
 * with the ids it forgot (not those it kept: the held model's run), through the web shell as to every page. Before,
 * nothing was sent: the other window listed the runs until it was loaded again (fails on the old lab-host.ts: no event).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { startWebShell, type WebShell } from '../../src-main/web-shell'
import type { LabHost } from '../../src-main/lab-host'
import { fakeHost, mlpSpec, pageFolder, pageSocket, settings } from './helpers'

let dir: string
let shell: WebShell
let host: LabHost

beforeAll(async () => {
  dir = pageFolder('forget-broadcast-')
  host = fakeHost()
  shell = await startWebShell({ port: 0, rendererDir: dir, labHost: host })
})
afterAll(async () => {
  await shell.close()
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const page = () => pageSocket(shell)

describe("another window hears of the runs forgotten", () => {
  it("sends every page the ids forgotten, not the held model's run it kept", async () => {
    const one = await page()
    const two = await page()
    const ids: string[] = []
    for (let k = 0; k < 2; k++) {
      const started = await one.request<{ runId: string }>('train:start', { spec: mlpSpec(), settings: settings() })
      const runId = started.ok ? started.value.runId : ''
      ids.push(runId)
      await two.until(() => two.events.find((e) => e.type === 'state' && e.runId === runId && e.state === 'done'))
    }
    // Clear finished runs in window one asks for both; the second is the held model's run (a Continue links to it)
    const reply = await one.request<{ forgotten: string[] }>('train:forget-runs', { ids })
    expect(reply).toEqual({ ok: true, value: { forgotten: [ids[0]] } })
    const told = await two.until(() => two.events.find((e) => e.type === 'forgotten'))
    expect(told).toEqual({ type: 'forgotten', runId: null, ids: [ids[0]] })
    // the window that asked hears it too (it has dropped them already: nothing changes there); nothing forgotten, nothing sent
    await one.until(() => one.events.find((e) => e.type === 'forgotten'))
    expect((await one.request('train:forget-runs', { ids })).ok).toBe(true)
    await new Promise((r) => setTimeout(r, 50))
    expect(two.events.filter((e) => e.type === 'forgotten')).toHaveLength(1)
    one.ws.close()
    two.ws.close()
  })
})
