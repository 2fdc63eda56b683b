/**
 * A project carries its language model's uploaded text (text.txt, described in project.json): it comes back
 * byte for byte with its counts, and a bad text part costs only the text, never the rest of the project.
 */
import { describe, expect, it } from 'vitest'
import { strFromU8, strToU8, unzipSync } from 'fflate'
import { presetById } from '../../../src-engine/models/presets'
import { crc32, decodeProject, encodeProject, MAX_TEXT_BYTES, PROJECT_VERSION, projectParts, TEXT_PART, zipChunks, type ProjectData } from '../../../src-engine/io/project'

const KOREAN = '오늘 아침에 도서관에서 책을 빌렸다.\n동생은 바다에 가고 싶다고 말했다.\n'
const spec = { ...presetById('char-lstm')!.spec, vocab: new Set(KOREAN).size }
const settings = { data: { kind: 'text' as const, file: '/home/a/.config/lab/texts/일기-0123456789abcdef.txt' }, optimizer: 'Adam' as const, lr: 0.01, batchSize: 20, epochs: 1, seed: 1 }
const withText = (bytes: Uint8Array, fileName = '일기.txt'): ProjectData => ({ spec, settings, text: { fileName, bytes } })

/** A project's zip with its parts (as projectParts gives them) changed by `edit` before zipping. */
function zipped(data: ProjectData, edit: (parts: { name: string; chunks: Uint8Array[] }[]) => void): Uint8Array {
  const parts = projectParts(data)
  edit(parts)
  return Buffer.concat(zipChunks(parts.map((p) => ({ ...p, crc: p.chunks.reduce((c, b) => crc32(b, c), 0) }))))
}
const textPart = (parts: { name: string; chunks: Uint8Array[] }[]) => parts.find((p) => p.name === TEXT_PART)!

describe('a project carries its uploaded text', () => {
  it('round-trips the text byte for byte with its name and counts, beside the rest', () => {
    const bytes = strToU8(KOREAN)
    const files = unzipSync(encodeProject(withText(bytes)))
    expect(Object.keys(files)).toEqual(['project.json', TEXT_PART])
    expect(JSON.parse(strFromU8(files['project.json'])).text).toEqual({ fileName: '일기.txt', bytes: bytes.length, crc32: crc32(bytes) })
    const p = decodeProject(encodeProject(withText(bytes)))
    expect(p.text).toEqual({ fileName: '일기.txt', bytes, chars: [...KOREAN].length, vocab: new Set(KOREAN).size })
    expect(p.textProblem).toBeUndefined()
    expect(p.settings).toEqual(settings)
  })

  it('stays format version 1, so a lab of the last session opens it (without the text part, which it skips)', () => {
    // older readers refuse a version above their own (newer-project) and unzip only the parts they know
    const files = unzipSync(encodeProject(withText(strToU8(KOREAN))))
    expect(JSON.parse(strFromU8(files['project.json'])).version).toBe(1)
    expect(PROJECT_VERSION).toBe(1)
  })

  it('a project without a text has none (and no problem)', () => {
    const p = decodeProject(encodeProject({ spec, settings }))
    expect(p.text).toBeUndefined()
    expect(p.textProblem).toBeUndefined()
  })

  it('opens without the text, saying why, when the part is changed, missing, not UTF-8, empty or too large', () => {
    const flipped = zipped(withText(strToU8(KOREAN)), (parts) => {
      const b = new Uint8Array(textPart(parts).chunks[0])
      b[3] ^= 1
      textPart(parts).chunks = [b]
    })
    expect(decodeProject(flipped)).toMatchObject({ textProblem: { case: 'damaged', fileName: '일기.txt' }, spec })
    expect(decodeProject(flipped).text).toBeUndefined()
    const missing = zipped(withText(strToU8(KOREAN)), (parts) => parts.splice(parts.indexOf(textPart(parts)), 1))
    expect(decodeProject(missing).textProblem).toEqual({ case: 'damaged', fileName: '일기.txt' })
    // consistent descriptions (size and CRC right) of bad texts
    expect(decodeProject(encodeProject(withText(Uint8Array.from([0x41, 0xff, 0xfe, 0x42])))).textProblem).toEqual({ case: 'encoding', fileName: '일기.txt' })
    expect(decodeProject(encodeProject(withText(new Uint8Array(0)))).textProblem).toEqual({ case: 'empty', fileName: '일기.txt' })
    // a part claiming more than an upload can be is not inflated: its size in the central directory says 300 MB + 1
    const big = encodeProject(withText(strToU8(KOREAN)))
    const v = new DataView(big.buffer, big.byteOffset)
    for (let at = big.length - 22; at >= 0; at--) {
      if (v.getUint32(at, true) === 0x02014b50 && strFromU8(big.subarray(at + 46, at + 46 + TEXT_PART.length)) === TEXT_PART) v.setUint32(at + 24, MAX_TEXT_BYTES + 1, true)
    }
    expect(decodeProject(big).textProblem).toEqual({ case: 'too-large', fileName: '일기.txt' })
  })

  it('takes no name with a folder or control characters from the file: the text is then damaged', () => {
    for (const name of ['../../.bashrc', 'a\\b.txt', 'a\u0000.txt', '', 'x'.repeat(256)]) {
      expect(decodeProject(encodeProject(withText(strToU8(KOREAN), name))).textProblem).toEqual({ case: 'damaged' })
    }
    const noDesc = zipped({ spec, settings, text: { fileName: 'a.txt', bytes: strToU8(KOREAN) } }, (parts) => {
      const json = JSON.parse(strFromU8(parts[0].chunks[0]))
      json.text = 'a.txt'
      parts[0].chunks = [strToU8(JSON.stringify(json))]
    })
    expect(decodeProject(noDesc).textProblem).toEqual({ case: 'damaged' })
  })
})
