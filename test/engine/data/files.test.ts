/**
 * Resource lookup in the three places the engine runs: vitest (source tree), a CommonJS bundle under
 * out/main/ (the CLI and the Electron main process) started from another folder, and a folder named by
 * BACKPROP_LAB_DATA (what a packaged app or a teacher's machine uses).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { rolldown } from 'rolldown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BUILTIN_CORPORA,
  loadBuiltinCorpus,
  loadTextFile,
  loadTextSource,
  locateBuiltinMnist,
  resourceRoots
} from '../../../src-engine/data/files'
import { MNIST_IMAGES_FILE, MNIST_LABELS_FILE } from '../../../src-engine/data/mnist-builtin'

const root = resolve(__dirname, '../../..')
const generated = join(root, 'resources', 'generated')
const tmp = mkdtempSync(join(tmpdir(), 'bplab-files-'))
const bundleDir = join(root, 'out', 'test-data-files', 'main', 'chunks')
const probe = join(bundleDir, 'probe.js')

beforeAll(async () => {
  // Make sure the generated files exist (the engine builds them on first use).
  execFileSync('node', [join(root, 'scripts/build-mnist.mjs')])
  const bundle = await rolldown({ input: join(root, 'src-engine/data/files.ts'), platform: 'node', logLevel: 'silent' })
  await bundle.write({ file: probe, format: 'cjs' })
  await bundle.close()
})
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
  rmSync(join(root, 'out', 'test-data-files'), { recursive: true, force: true })
})

/** Run the bundled files.ts in a fresh Node process from `cwd` and return what it prints. */
function runProbe(code: string, cwd: string, env: Record<string, string> = {}): string {
  const script = `const f = require(${JSON.stringify(probe)}); ${code}`
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env }
  if (!env.BACKPROP_LAB_DATA) delete childEnv.BACKPROP_LAB_DATA
  return execFileSync('node', ['-e', script], { cwd, env: childEnv, encoding: 'utf8' }).trim()
}

describe('finding resources', () => {
  it('finds the generated digits from the source tree (vitest)', () => {
    expect(locateBuiltinMnist()).toBe(join(generated, MNIST_IMAGES_FILE))
    expect(resourceRoots()).toContain(join(root, 'resources'))
  })

  it('finds them from a CommonJS bundle under out/main/chunks run from another folder', () => {
    const out = runProbe('console.log(f.locateBuiltinMnist()); console.log(f.loadBuiltinMnist().n)', tmp)
    expect(out.split('\n')).toEqual([join(generated, MNIST_IMAGES_FILE), '10000'])
  })

  it('looks in BACKPROP_LAB_DATA first, as a resources folder or the files folder itself', () => {
    const asResources = join(tmp, 'res')
    mkdirSync(join(asResources, 'generated'), { recursive: true })
    const flat = join(tmp, 'flat')
    mkdirSync(flat)
    for (const f of [MNIST_IMAGES_FILE, MNIST_LABELS_FILE]) {
      copyFileSync(join(generated, f), join(asResources, 'generated', f))
      copyFileSync(join(generated, f), join(flat, f))
    }
    expect(runProbe('console.log(f.locateBuiltinMnist())', tmp, { BACKPROP_LAB_DATA: asResources })).toBe(
      join(asResources, 'generated', MNIST_IMAGES_FILE)
    )
    expect(runProbe('console.log(f.locateBuiltinMnist())', tmp, { BACKPROP_LAB_DATA: flat })).toBe(join(flat, MNIST_IMAGES_FILE))
  })

  it('finds a packaged app layout through process.resourcesPath', () => {
    const app = join(tmp, 'packaged', 'resources')
    mkdirSync(join(app, 'generated'), { recursive: true })
    for (const f of [MNIST_IMAGES_FILE, MNIST_LABELS_FILE]) copyFileSync(join(generated, f), join(app, 'generated', f))
    const out = runProbe(`process.resourcesPath = ${JSON.stringify(app)}; console.log(f.locateBuiltinMnist())`, tmp)
    expect(out).toBe(join(app, 'generated', MNIST_IMAGES_FILE))
  })

  it('finds a packaged app layout from the bundle position alone (workers may lack process.resourcesPath)', () => {
    // electron-builder: <resources>/app.asar/out/main/chunks/*.js and extraResources copied to <resources>/resources/.
    const res = join(tmp, 'app2', 'resources')
    const chunks = join(res, 'app.asar', 'out', 'main', 'chunks')
    mkdirSync(chunks, { recursive: true })
    mkdirSync(join(res, 'resources', 'generated'), { recursive: true })
    copyFileSync(probe, join(chunks, 'probe.js'))
    for (const f of [MNIST_IMAGES_FILE, MNIST_LABELS_FILE]) copyFileSync(join(generated, f), join(res, 'resources', 'generated', f))
    const script = `console.log(require(${JSON.stringify(join(chunks, 'probe.js'))}).locateBuiltinMnist())`
    const env = { ...process.env }
    delete env.BACKPROP_LAB_DATA
    const out = execFileSync('node', ['-e', script], { cwd: tmp, env, encoding: 'utf8' }).trim()
    expect(out).toBe(join(res, 'resources', 'generated', MNIST_IMAGES_FILE))
  })
})

describe('text files and built-in corpora', () => {
  it('ships both corpora under 300 KB and finds them from the bundle too', () => {
    for (const name of Object.keys(BUILTIN_CORPORA) as (keyof typeof BUILTIN_CORPORA)[]) {
      const text = loadBuiltinCorpus(name)
      expect(Buffer.byteLength(text)).toBeGreaterThan(20_000)
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300_000)
    }
    expect(loadBuiltinCorpus('pride-and-prejudice')).toMatch(/^PRIDE AND PREJUDICE\n\nBy Jane Austen\n\nChapter 1\n\nIt is a truth universally acknowledged/)
    expect(loadBuiltinCorpus('korean-words').split('\n')[0]).toBe('가가')
    expect(runProbe("console.log(f.loadBuiltinCorpus('korean-words').length > 10000)", tmp)).toBe('true')
  })

  it('reads UTF-8 (dropping a byte-order mark) and rejects other encodings clearly', () => {
    const good = join(tmp, 'bom.txt')
    writeFileSync(good, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('한글 text', 'utf8')]))
    expect(loadTextFile(good)).toBe('한글 text')
    const latin1 = join(tmp, 'latin1.txt')
    writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    expect(() => loadTextFile(latin1)).toThrow(`${latin1} is not valid UTF-8 text; save it as UTF-8 and open it again`)
  })

  it('names an unknown corpus', () => {
    expect(() => loadBuiltinCorpus('moby-dick' as never)).toThrow('No built-in corpus "moby-dick"; choose one of pride-and-prejudice, korean-words')
    // an object's inherited names are no corpus either (before: "constructor" found Object's, whose file was undefined)
    expect(() => loadTextSource('builtin:constructor')).toThrow('No built-in corpus "constructor"; choose one of pride-and-prejudice, korean-words')
  })
})

describe('text sources of the worker protocol', () => {
  it('resolves "builtin", "builtin:<name>" and file paths', () => {
    expect(loadTextSource('builtin')).toBe(loadBuiltinCorpus('pride-and-prejudice'))
    expect(loadTextSource('builtin:korean-words')).toBe(loadBuiltinCorpus('korean-words'))
    const path = join(tmp, 'mine.txt')
    writeFileSync(path, '나의 글')
    expect(loadTextSource(path)).toBe('나의 글')
  })
})
