/**
 * Fuzzing the data readers: IDX image/label pairs (gzipped or not, data/idx.ts) and text files (data/text.ts).
 * Each seeded case must give a Dataset / text or be refused with an Error naming the file, never a TypeError or
 * RangeError from inside, never a hang, never an allocation as large as a header or gzip trailer says.
 * A failure names the seed that replays it.
 */
import { describe, expect, it } from 'vitest'
import { gzipSync as fflateGzip } from 'fflate'
import { gzipSync, gunzipSync } from 'node:zlib'
import { encodeIdx, fflateGunzip, idxPairToDataset, IdxTooLargeError, parseIdx } from '../../../src-engine/data/idx'
import { decodeTextFile, textCorpus, vocabFromChars } from '../../../src-engine/data/text'
import { attempt, below, isCrash, mutateBytes, seeded, type Outcome, SLOW_CASE_MS } from '../io/fuzz-mutate'

type Failure = { seed: number; what: string; got: string }

function judge(failures: Failure[], seed: number, what: string, o: Outcome, files: string[]): void {
  if (o.threw) {
    const e = o.error as Error
    if (isCrash(e) || !files.some((f) => String(e?.message).includes(f))) failures.push({ seed, what, got: `${e?.name}: ${String(e?.message).slice(0, 200)}` })
  }
  if (o.ms > SLOW_CASE_MS) failures.push({ seed, what, got: `took ${o.ms.toFixed(0)} ms` })
}

describe('IDX reader fuzz', () => {
  const n = 6
  const pixels = Uint8Array.from({ length: n * 5 * 4 }, (_, i) => (i * 37) % 256)
  const images = encodeIdx([n, 5, 4], pixels)
  const labels = encodeIdx([n], Uint8Array.from([0, 1, 2, 3, 9, 5]))
  const bounds = (b: Uint8Array): number[] => [0, 1, 2, 3, 4, 8, 12, 16, b.length - 1]
  const names = { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' }

  it('500 mutations of an image/label pair (plain, fflate-gunzipped, zlib-gunzipped) give a dataset or a refusal naming the file', () => {
    const failures: Failure[] = []
    for (let seed = 1; seed <= 500; seed++) {
      const r = seeded(seed)
      const which = below(r, 2)
      const zipped = below(r, 3)
      const target = which === 0 ? images : labels
      const src = zipped ? gzipSync(target) : target
      const m = mutateBytes(src, r, zipped ? [0, 1, 2, 3, 9, src.length - 8, src.length - 4, src.length - 1] : bounds(target))
      const pair = which === 0 ? [m.bytes, labels] : [images, m.bytes]
      const gunzip = zipped === 2 ? (b: Uint8Array) => gunzipSync(b, { maxOutputLength: 2 ** 20 }) : undefined
      judge(failures, seed, `${which ? 'labels' : 'images'}${zipped ? ' gz' : ''}: ${m.what}`, attempt(() => idxPairToDataset(pair[0], pair[1], names, gunzip ? { gunzip } : {})), [names.images, names.labels])
    }
    expect(failures).toEqual([])
  })

  it('a gzip trailer that says 4 GB is not believed: nothing that size is allocated, the labels are read', () => {
    const gz = fflateGzip(labels)
    new DataView(gz.buffer).setUint32(gz.length - 4, 0xfffffff0, true)
    const before = process.memoryUsage().arrayBuffers
    const o = attempt(() => expect(parseIdx(gz, 'train-labels-idx1-ubyte.gz').dims).toEqual([n]))
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20)
    expect(o.threw).toBe(false)
  })

  it('a gzip bomb is stopped at the bound fflate\'s reader keeps, in the file\'s name', () => {
    // a 1 GiB bomb takes seconds to build: the same reader with a 1 MiB bound, on 4 MiB behind a trailer that says 4 GB
    const gz = fflateGzip(new Uint8Array(4 * 2 ** 20), { level: 1 })
    new DataView(gz.buffer).setUint32(gz.length - 4, 0xfffffff0, true)
    const o = attempt(() => parseIdx(gz, 'train-images-idx3-ubyte.gz', fflateGunzip(2 ** 20)))
    expect(o.threw && o.error instanceof IdxTooLargeError).toBe(true)
    expect((o as { error: Error }).error.message).toMatch(/train-images-idx3-ubyte\.gz inflates to more than/)
  })

  it('a gzip bomb is stopped at the bound node:zlib is given, in the file\'s name', () => {
    const bomb = gzipSync(new Uint8Array(24 * 2 ** 20), { level: 1 }) // 24 MB of zeros in ~24 kB
    const o = attempt(() => parseIdx(bomb, 'train-images-idx3-ubyte.gz', (b) => gunzipSync(b, { maxOutputLength: 16 * 2 ** 20 })))
    expect(o.threw && o.error instanceof IdxTooLargeError).toBe(true)
    expect((o as { error: Error }).error.message).toMatch(/train-images-idx3-ubyte\.gz inflates to more than 16,777,216 bytes/)
  })
})

describe('text reader fuzz', () => {
  const base = new TextEncoder().encode('한국어 낱말과 English words.\n둘째 줄\r\n')

  it('300 byte mutations of a UTF-8 text decode or are refused naming the file; what decodes tokenises', () => {
    const failures: Failure[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const m = mutateBytes(base, seeded(seed))
      judge(failures, seed, m.what, attempt(() => {
        const text = decodeTextFile(m.bytes, 'fuzz.txt')
        if (text.length > 0) textCorpus(text)
      }), ['fuzz.txt'])
    }
    expect(failures).toEqual([])
  })

  it('hostile vocabularies are refused with the entry at fault', () => {
    for (const v of [['a', 'a'], ['ab'], [''], [5], [null], ['\uD800'.repeat(2)], ['__proto__']]) {
      const o = attempt(() => vocabFromChars(v as string[]))
      if (o.threw) expect(isCrash(o.error), String((o.error as Error).message)).toBe(false)
    }
  })
})
