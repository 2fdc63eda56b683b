import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { epochOrder, makeBatches } from '../../../src-engine/data/dataset'
import { loadBuiltinCorpus } from '../../../src-engine/data/files'
import {
  buildVocab,
  decode,
  encode,
  gatherWindows,
  makeWindows,
  sequentialBatches,
  textCorpus,
  vocabFromChars
} from '../../../src-engine/data/text'

describe('character vocabulary', () => {
  it('treats each Hangul syllable as one token', () => {
    const v = buildVocab('안녕 세상, 안녕!')
    expect(v.chars).toEqual([' ', '!', ',', '녕', '상', '세', '안'])
    const ids = encode(v, '안녕 세상')
    expect(ids.length).toBe(5)
    expect(decode(v, ids)).toBe('안녕 세상')
  })

  it('composes decomposed jamo (NFD) into syllables and keeps astral characters whole', () => {
    const nfd = '한글'.normalize('NFD')
    expect(nfd.length).toBe(6)
    const v = buildVocab(nfd + '🙂')
    expect(v.chars).toEqual(['글', '한', '🙂'])
    expect(Array.from(encode(v, '한🙂글'))).toEqual([1, 2, 0])
  })

  it('turns CRLF into LF so Windows and Unix files give the same tokens', () => {
    expect(buildVocab('a\r\nb\rc').chars).toEqual(['\n', 'a', 'b', 'c'])
  })

  it('names an unknown character and its position, or skips it when asked', () => {
    const v = buildVocab('abc')
    expect(() => encode(v, 'cab가')).toThrow('character "가" (U+AC00) at position 3 is not in the vocabulary of 3')
    expect(decode(v, encode(v, 'a가b', 'skip'))).toBe('ab')
    expect(() => decode(v, [0, 7])).toThrow('id 7 at position 1 is outside the vocabulary of 3')
  })

  it('validates a vocabulary read back from a file', () => {
    expect(vocabFromChars(['a', '한']).chars).toEqual(['a', '한'])
    expect(() => vocabFromChars(['a', 'ab'])).toThrow('vocabulary entry #1 must be one character, got "ab"')
    expect(() => vocabFromChars(['x', 'x'])).toThrow('vocabulary entry #1 "x" appears twice')
  })
})

describe('training windows', () => {
  it('makes (T+1)-long windows whose targets are the inputs shifted by one', () => {
    const ids = Int32Array.from({ length: 11 }, (_, i) => 100 + i)
    const starts = makeWindows(ids, 3)
    expect(Array.from(starts)).toEqual([0, 3, 6])
    const x = { shape: [2, 3], data: new Float32Array(6) }
    const t = { shape: [2, 3], data: new Float32Array(6) }
    gatherWindows(ids, [starts[2], starts[0]], 3, x, t)
    expect(Array.from(x.data)).toEqual([106, 107, 108, 100, 101, 102])
    expect(Array.from(t.data)).toEqual([107, 108, 109, 101, 102, 103])
  })

  it('supports overlapping windows and rejects texts shorter than one window', () => {
    expect(Array.from(makeWindows(new Int32Array(6), 3, 1))).toEqual([0, 1, 2])
    expect(() => makeWindows(new Int32Array(3), 3)).toThrow('makeWindows: the text has 3 tokens, fewer than one window of T+1 = 4')
    const x = { shape: [1, 4], data: new Float32Array(4) }
    expect(() => gatherWindows(new Int32Array(10), [0, 1], 4, x, x)).toThrow('gatherWindows: outX is (1, 4) but the batch needs (2, 4)')
  })

  it('holds out the tail of the built-in novel and covers every training id once per epoch', () => {
    const corpus = textCorpus(loadBuiltinCorpus('pride-and-prejudice'), 0.1)
    expect(corpus.vocab.chars.length).toBe(74)
    const total = corpus.train.length + corpus.test.length
    expect(corpus.test.length).toBe(total - Math.round(total * 0.9))
    expect(decode(corpus.vocab, corpus.train.subarray(0, 19))).toBe('PRIDE AND PREJUDICE')
    const T = 32
    const starts = makeWindows(corpus.train, T)
    const batches = makeBatches(epochOrder(starts.length, new Rng(1)), 20)
    const seen = new Uint8Array(corpus.train.length)
    const x = { shape: [20, T], data: new Float32Array(20 * T) }
    const t = { shape: [20, T], data: new Float32Array(20 * T) }
    for (const b of batches.slice(0, -1)) {
      const s = Array.from(b, (k) => starts[k])
      gatherWindows(corpus.train, s, T, x, t)
      for (const st of s) for (let k = 1; k <= T; k++) seen[st + k]++
    }
    // Every id after the first is a target at most once (windows with stride T share only their ends).
    expect(seen.reduce((m, v) => Math.max(m, v), 0)).toBe(1)
  })

  it('sequentialBatches lets each row of the next batch continue where the same row stopped', () => {
    const ids = Int32Array.from({ length: 23 }, (_, i) => i)
    const batches = sequentialBatches(ids, 2, 3)
    // Lanes of floor(23 / 2) = 11 ids hold floor(10 / 3) = 3 windows each.
    expect(batches.map((b) => Array.from(b))).toEqual([[0, 11], [3, 14], [6, 17]])
    const x = { shape: [2, 3], data: new Float32Array(6) }
    const t = { shape: [2, 3], data: new Float32Array(6) }
    const rows: number[][] = [[], []]
    for (const b of batches) {
      gatherWindows(ids, b, 3, x, t)
      for (let n = 0; n < 2; n++) rows[n].push(...Array.from(x.data.subarray(n * 3, n * 3 + 3)))
      expect(t.data[5]).toBeLessThan(22) // row 1 never reads into the leftover tail beyond its lane
    }
    expect(rows[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(rows[1]).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(() => sequentialBatches(ids, 8, 3)).toThrow('sequentialBatches: 23 tokens in 8 lanes leave 2 per lane, fewer than one window of T+1 = 4')
  })

  it('tokenises the Korean sample into syllables with a vocabulary of about a thousand', () => {
    const corpus = textCorpus(loadBuiltinCorpus('korean-words'))
    const syllables = corpus.vocab.chars.filter((c) => c >= '가' && c <= '힣')
    expect(syllables.length).toBe(corpus.vocab.chars.length - 1) // plus "\n"
    expect(corpus.vocab.chars.length).toBeGreaterThan(500)
    expect(corpus.vocab.chars.length).toBeLessThan(2000)
  })
})
