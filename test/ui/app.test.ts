import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { Channel, LabEvent, MenuCommand, Requests, Result } from '../../src-main/ipc/contract'
import { setLab, type LabClient, type LabStatus } from '../../src-renderer/lib/lab'
import { i18n } from '../../src-renderer/i18n/index.svelte'
import { project } from '../../src-renderer/lib/project.svelte'
import { editor } from '../../src-renderer/lib/editor.svelte'

// The frame is under test, not the pages (they have their own tests and need a canvas).
vi.mock('../../src-renderer/pages/EditorPage.svelte', async () => import('./stubs/Page_editor.svelte'))
vi.mock('../../src-renderer/pages/TrainPage.svelte', async () => import('./stubs/Page_train.svelte'))
vi.mock('../../src-renderer/pages/DrawPage.svelte', async () => import('./stubs/Page_draw.svelte'))
vi.mock('../../src-renderer/pages/LessonsPage.svelte', async () => import('./stubs/Page_lessons.svelte'))

const { default: App } = await import('../../src-renderer/App.svelte')

/** A LabClient the test drives: set its status, emit events and menu commands, count requests. */
class FakeLab implements LabClient {
  transport: 'web' | 'electron' = 'web'
  status: LabStatus = 'open'
  requests: Channel[] = []
  private statusFns = new Set<(s: LabStatus) => void>()
  private eventFns = new Set<(e: LabEvent) => void>()
  private menuFns = new Set<(c: MenuCommand) => void>()
  async request<C extends Channel>(channel: C): Promise<Result<Requests[C][1]>> {
    this.requests.push(channel)
    if (channel === 'app:info') {
      return { ok: true, value: { version: '9.8.7', transport: this.transport, threads: 3, platform: 'linux', priorityChoice: true } as Requests[C][1] }
    }
    return { ok: false, error: { code: 'not-here', message: 'fake' } }
  }
  onEvent(fn: (e: LabEvent) => void) {
    this.eventFns.add(fn)
    return () => void this.eventFns.delete(fn)
  }
  onStatus(fn: (s: LabStatus) => void) {
    fn(this.status)
    this.statusFns.add(fn)
    return () => void this.statusFns.delete(fn)
  }
  onMenu(fn: (c: MenuCommand) => void) {
    this.menuFns.add(fn)
    return () => void this.menuFns.delete(fn)
  }
  close() {}
  setStatus(s: LabStatus) {
    this.status = s
    for (const fn of this.statusFns) fn(s)
  }
  emit(e: LabEvent) {
    for (const fn of this.eventFns) fn(e)
  }
  menu(c: MenuCommand) {
    for (const fn of this.menuFns) fn(c)
  }
}

let lab: FakeLab

beforeEach(() => {
  lab = new FakeLab()
  setLab(lab)
  i18n.set('en')
  project.page = 'editor'
})

afterEach(() => {
  cleanup()
  setLab(null)
})

describe('the app frame', () => {
  it('shows the transport and the engine threads from app:info in the footer', async () => {
    render(App)
    expect(await screen.findByText('Engine threads: 3')).toBeTruthy()
    expect(screen.getByTestId('status-transport').textContent).toBe('Web shell')
    expect(screen.getByTestId('status-connection').textContent?.trim()).toBe('Connected')
    expect(screen.getByTestId('status-version').textContent).toBe('Version 9.8.7')
    // the frame's app:info, the training state's first connection (app:info, presets), a run to take over, the model held
    expect(lab.requests.filter((c) => !c.startsWith('project:'))).toEqual(['app:info', 'app:info', 'preset:list', 'train:current', 'model:held'])
    expect(screen.queryByTestId('connection-banner')).toBeNull()
  })

  it('explains, in the chosen language, that the token is missing', async () => {
    lab.status = 'no-token'
    render(App)
    const banner = screen.getByTestId('connection-banner')
    expect(banner.getAttribute('role')).toBe('alert')
    expect(banner.textContent).toContain('Open the URL printed by npm run web, token included')
    await fireEvent.click(screen.getByTestId('lang-ko'))
    expect(banner.textContent).toContain('npm run web이 출력한 URL')
    expect(document.documentElement.lang).toBe('ko')
    expect(screen.getByTestId('nav-train').textContent).toBe('학습')
    expect(lab.requests).toEqual([])
  })

  it('shows the lost-connection banner while reconnecting and asks for app:info again once back', async () => {
    render(App)
    await screen.findByText('Engine threads: 3')
    lab.setStatus('reconnecting')
    await tick()
    expect(screen.getByTestId('connection-banner').dataset.kind).toBe('lost')
    expect(screen.getByTestId('status-connection').dataset.status).toBe('reconnecting')
    lab.setStatus('open')
    await tick()
    expect(screen.queryByTestId('connection-banner')).toBeNull()
    // each opening asks for app:info, a run to take over and the model held (the first opening's may answer after the second's asks)
    await vi.waitFor(() => expect(lab.requests.filter((c) => !c.startsWith('project:')).sort()).toEqual(['app:info', 'app:info', 'app:info', 'model:held', 'model:held', 'preset:list', 'train:current', 'train:current']))
  })

  it('tells a page that never connected to check the shell and its latest URL', async () => {
    lab.status = 'unreachable'
    render(App)
    const banner = screen.getByTestId('connection-banner')
    expect(banner.dataset.kind).toBe('unreachable')
    expect(banner.textContent).toContain('Check that npm run web is running')
    expect(screen.getByTestId('status-connection').textContent?.trim()).toBe('Cannot reach the lab')
  })

  it("points a first launch to the lessons above the editor; its button opens them, and it is gone for good", async () => {
    const { courseHint } = await import('../../src-renderer/lib/course-hint.svelte')
    localStorage.removeItem('backprop-lab.courseHint')
    courseHint.done = false
    render(App)
    expect(screen.getByTestId('course-hint').closest('main')).not.toBeNull()
    await fireEvent.click(screen.getByTestId('course-hint-open'))
    await tick()
    expect(project.page).toBe('lessons')
    expect(document.activeElement?.id).toBe('tab-lessons')
    project.page = 'editor'
    await tick()
    expect(screen.queryByTestId('course-hint')).toBeNull()
    expect(localStorage.getItem('backprop-lab.courseHint')).toBe('done')
    localStorage.removeItem('backprop-lab.courseHint')
  })

  it('switches pages by click, arrow keys, Home/End and Alt+number, moving focus with the selection', async () => {
    render(App)
    const tab = (id: string) => screen.getByTestId(`nav-${id}`)
    expect(screen.getByTestId('page-editor')).toBeTruthy()
    expect(tab('editor').getAttribute('aria-selected')).toBe('true')
    expect(tab('train').getAttribute('tabindex')).toBe('-1')

    await fireEvent.click(tab('draw'))
    expect(screen.getByTestId('page-draw')).toBeTruthy()
    expect(screen.queryByTestId('page-editor')).toBeNull()

    await fireEvent.keyDown(tab('draw'), { key: 'ArrowRight' })
    expect(screen.getByTestId('page-lessons')).toBeTruthy()
    expect(document.activeElement).toBe(tab('lessons'))
    await fireEvent.keyDown(tab('lessons'), { key: 'ArrowRight' })
    expect(screen.getByTestId('page-editor')).toBeTruthy()
    await fireEvent.keyDown(tab('editor'), { key: 'ArrowLeft' })
    expect(screen.getByTestId('page-lessons')).toBeTruthy()
    await fireEvent.keyDown(tab('lessons'), { key: 'Home' })
    expect(screen.getByTestId('page-editor')).toBeTruthy()
    await fireEvent.keyDown(tab('editor'), { key: 'End' })
    expect(screen.getByTestId('page-lessons')).toBeTruthy()

    await fireEvent.keyDown(window, { key: '2', altKey: true })
    expect(screen.getByTestId('page-train')).toBeTruthy()
    expect(tab('train').getAttribute('tabindex')).toBe('0')
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-train')
    // Alt with Ctrl is someone else's shortcut.
    await fireEvent.keyDown(window, { key: '1', altKey: true, ctrlKey: true })
    expect(screen.getByTestId('page-train')).toBeTruthy()
  })

  it('keeps the frame out of reach while the editor asks about the trained weights', async () => {
    // Tab went on from the question's last button into the header (Chromium, keyboard walk), and Alt+2 left the
    // editor with the question unanswered.
    render(App)
    const inert = (el: Element): boolean => el.hasAttribute('inert')
    const header = document.querySelector('header')!
    const skip = screen.getByText('Skip to content')
    expect(inert(header) || inert(skip)).toBe(false)
    editor.pending = { spec: { input: [1, 28, 28], layers: [] }, presetId: null, kind: 'edit', key: null }
    await tick()
    expect(inert(header)).toBe(true)
    expect(inert(skip)).toBe(true)
    await fireEvent.keyDown(window, { key: '2', altKey: true })
    expect(screen.getByTestId('page-editor')).toBeTruthy()
    editor.pending = null
    await tick()
    expect(inert(header)).toBe(false)
    await fireEvent.keyDown(window, { key: '2', altKey: true })
    expect(screen.getByTestId('page-train')).toBeTruthy()
  })

  it('gives the focus to the new page when the control that opened it went with the old one', async () => {
    // "Try it", "Go to training", "Edit architecture": the button left with its page and the focus fell to the
    // document (Chromium, keyboard walk), so a screen reader said nothing.
    render(App)
    await tick()
    const main = document.querySelector('main')!
    expect(document.activeElement).not.toBe(main) // not on load: the first Tab still reaches the skip link
    const button = document.createElement('button')
    screen.getByTestId('page-editor').appendChild(button)
    button.focus()
    project.page = 'train'
    await tick()
    await tick()
    expect(screen.getByTestId('page-train')).toBeTruthy()
    expect(document.activeElement).toBe(main)
    // a page tab keeps the focus: it is still there
    const tab = screen.getByTestId('nav-draw')
    tab.focus()
    await fireEvent.click(tab)
    await tick()
    await tick()
    expect(document.activeElement).toBe(tab)
  })

  // Q6's F1: one <main> scrolls every page, and a page opened at the previous page's scroll (the training page with its
  // title and progress above the window). A page opens at its top the first time, and where it was left after that.
  it("opens a page at its top the first time and where it was left afterwards, not at the old page's scroll", async () => {
    render(App)
    await tick()
    const main = document.querySelector('main')!
    main.scrollTop = 220
    await fireEvent.keyDown(window, { key: '2', altKey: true })
    await tick()
    await tick()
    expect(screen.getByTestId('page-train')).toBeTruthy()
    expect(main.scrollTop).toBe(0)
    main.scrollTop = 90
    await fireEvent.click(screen.getByTestId('nav-editor'))
    await tick()
    await tick()
    expect(main.scrollTop).toBe(220)
    project.page = 'train' // as a lesson's "Try it" opens it
    await tick()
    await tick()
    expect(main.scrollTop).toBe(90)
  })

  // Q6's F12: Alt+1…4 were told only in the tabs' hover title
  it('tells the page shortcuts to a screen reader and in the status bar (en, ko)', async () => {
    render(App)
    expect(screen.getByTestId('nav-train').getAttribute('aria-keyshortcuts')).toBe('Alt+2')
    expect(screen.getByTestId('nav-lessons').getAttribute('aria-keyshortcuts')).toBe('Alt+4')
    expect(screen.getByTestId('status-keys').textContent).toBe('Alt+1–4: switch pages')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('status-keys').textContent).toBe('Alt+1~4: 페이지 이동')
    i18n.set('en')
  })

  it('toggles the theme from the button and from the application menu', async () => {
    render(App)
    const before = document.documentElement.dataset.theme
    await fireEvent.click(screen.getByTestId('theme-toggle'))
    const after = document.documentElement.dataset.theme
    expect(after).not.toBe(before)
    lab.menu('view:toggle-theme')
    await tick()
    expect(document.documentElement.dataset.theme).toBe(before)
  })

  it('shows host errors that belong to no run as a toast, and leaves run errors to the pages', async () => {
    render(App)
    lab.emit({ type: 'error', runId: 'r1', code: 'diverged', message: 'loss is NaN' })
    await tick()
    expect(screen.queryByTestId('toast')).toBeNull()
    // a code the page words, then one it cannot (its English message as it came)
    lab.emit({ type: 'error', runId: null, code: 'worker-crashed', message: 'The training thread stopped (exit 1).' })
    await tick()
    const toast = screen.getByTestId('toast')
    expect(toast.textContent).toContain('The lab reported a problem: The training thread stopped. Start the run again: a fresh thread will be used.')
    await fireEvent.click(screen.getByLabelText('Dismiss'))
    lab.emit({ type: 'error', runId: null, code: 'worker-error', message: 'the worker stopped' })
    await tick()
    expect(screen.getByTestId('toast').textContent).toContain('The lab reported a problem: the worker stopped')
    await fireEvent.click(screen.getByLabelText('Dismiss'))
    expect(screen.queryByTestId('toast')).toBeNull()
  })
})
