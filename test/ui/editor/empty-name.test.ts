/**
 * A network built from an empty one is named in the page's language (Q3 F8): a Korean page's "빈 신경망" was
 * "My network" on the training page, in the recovery banner and in the saved file's name (my-network.bplab). The start-from
 * list still knows it as the empty network after the language changes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { netTitle } from '../../../src-renderer/lib/net-title'
import { openEditor } from './helpers'

afterEach(() => cleanup())

const select = (): HTMLSelectElement => screen.getByTestId('preset-select') as HTMLSelectElement

async function choose(value: string): Promise<void> {
  select().value = value
  await fireEvent.change(select())
}

describe('an empty network\'s name', () => {
  it('is Korean on a Korean page, English on an English one, and the list knows it in either language', async () => {
    openEditor({ input: [1, 28, 28], layers: [{ type: 'SoftmaxWithLoss' }] }, 'ko')
    await choose('empty:digits')
    expect(project.spec?.name).toBe('내 신경망')
    const facts = { project: project.spec, spec: project.spec, preset: null, defaultId: 'simple-convnet', report: null }
    expect(netTitle(facts)).toContain('내 신경망')
    await choose('empty:text')
    expect(project.spec?.name).toBe('내 언어 모델')
    i18n.set('en')
    flushSync()
    expect(select().value).toBe('empty:text')
    await choose('empty:digits')
    expect(project.spec?.name).toBe('My network')
  })
})
