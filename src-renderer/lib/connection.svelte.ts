/**
 * The connection as the app frame shows it: transport, status and the host's `app:info`.
 * `connection.start()` is called once by App.svelte; pages read it but never write it. Each time the connection
 * opens, the page also takes over a run the host is training (train:current, attach-run.ts), then learns which model the
 * host holds (model:held, held-model.ts), and asks again about the IDX folder the training form names (folder-classes.svelte.ts).
 */
import type { Requests } from '../../src-main/ipc/contract'
import { getLab, type LabClient, type LabStatus, type TransportKind } from './lab'
import { refusal } from './lab-errors'
import { learnHeldModel } from './held-model'
import { takeOverRun } from './attach-run'
import { folderClasses } from './folder-classes.svelte'
import type { Msg } from '../i18n/index.svelte'

export type AppInfo = Requests['app:info'][1]

class Connection {
  status = $state<LabStatus>('connecting')
  transport = $state<TransportKind>('web')
  info = $state.raw<AppInfo | null>(null)
  /** Why `app:info` failed, if it did (shown in the footer's tooltip). */
  infoError = $state.raw<Msg | string | null>(null)

  private stop: (() => void) | null = null
  /** The connection has opened before in this page's life (a reconnection, not a page loaded again). */
  private opened = false

  /** Subscribes to the client's status and fetches `app:info` whenever the connection (re)opens. */
  start(lab: LabClient = getLab()): () => void {
    this.stop?.()
    this.transport = lab.transport
    this.stop = lab.onStatus((status) => {
      this.status = status
      if (status !== 'open') return
      void this.refresh(lab)
      void this.learnModel(lab)
      folderClasses.connect(lab)
    })
    return () => {
      this.stop?.()
      this.stop = null
    }
  }

  private async learnModel(lab: LabClient): Promise<void> {
    const fresh = !this.opened
    this.opened = true
    // first: a live run's network is the model held (or about to be), and the page that takes it over is not untouched
    await takeOverRun(lab, fresh)
    const r = await lab.request('model:held', undefined)
    // a host without the request (an older lab) leaves the page as it was
    if (r.ok) learnHeldModel(r.value, fresh)
  }

  private async refresh(lab: LabClient): Promise<void> {
    const r = await lab.request('app:info', undefined)
    if (r.ok) {
      this.info = r.value
      this.infoError = null
    } else {
      this.infoError = refusal(r.error)
    }
  }
}

export const connection = new Connection()
