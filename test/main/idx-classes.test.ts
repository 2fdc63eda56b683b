/** data:idx-classes: the classes an IDX folder's training labels use, read from its labels file alone. */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../../src-engine/data/idx'
import { IDX_LABELS_MAX_BYTES, idxLabelFacts, idxLabelsUsed } from '../../src-main/idx-classes'
import { disposingHosts } from './helpers'

const make = disposingHosts()
const labels = (values: number[]): Uint8Array => encodeIdx([values.length], Uint8Array.from(values))

describe('the classes an IDX folder uses', () => {
  it('is one more than its largest training label, from the plain or the gzipped file', () => {
    const five = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    writeFileSync(join(five, 'train-labels-idx1-ubyte'), labels([0, 4, 2, 1, 3, 4]))
    // the test labels are not what a run's class check goes by (its training set's are)
    writeFileSync(join(five, 't10k-labels-idx1-ubyte'), labels([9]))
    expect(idxLabelsUsed(five)).toBe(5)
    const gz = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    writeFileSync(join(gz, 'train-labels-idx1-ubyte.gz'), gzipSync(labels([0, 1, 9])))
    expect(idxLabelsUsed(gz)).toBe(10)
  })

  it('does not read a labels file larger than any real one, plain or inflating past the bound', () => {
    const dir = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    const many = labels(Array.from({ length: 200 }, (_, i) => i % 7))
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), many)
    expect(idxLabelsUsed(dir)).toBe(7)
    expect(idxLabelsUsed(dir, many.length - 1)).toBeNull()
    const gz = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    writeFileSync(join(gz, 'train-labels-idx1-ubyte.gz'), gzipSync(many))
    expect(gzipSync(many).length).toBeLessThan(100)
    expect(idxLabelsUsed(gz, 100)).toBeNull()
    expect(idxLabelsUsed(gz, many.length)).toBe(7)
    expect(IDX_LABELS_MAX_BYTES).toBeGreaterThanOrEqual(60_008)
  })

  it('is null where there is nothing to read, and the host answers the same through its request', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    expect(idxLabelsUsed(empty)).toBeNull()
    expect(idxLabelsUsed(join(empty, 'missing'))).toBeNull()
    writeFileSync(join(empty, 'train-labels-idx1-ubyte'), new Uint8Array([1, 2, 3]))
    expect(idxLabelsUsed(empty)).toBeNull()
    const host = make()
    // no classes to count; what Start would refuse about the folder is said beside them (idx-folder.test.ts)
    expect(await host.idxClasses(empty)).toMatchObject({ ok: true, value: { used: 0, problem: { facts: { case: 'idx-missing', file: 'train-images-idx3-ubyte' } } } })
    const three = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    writeFileSync(join(three, 'train-labels.idx1-ubyte'), labels([2, 0, 1]))
    expect(await host.idxClasses(three)).toMatchObject({ ok: true, value: { used: 3, examples: 3 } })
  })

  it('counts the training examples the labels file labels, for the cost note', () => {
    const dir = mkdtempSync(join(tmpdir(), 'f6-idx-'))
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels(Array.from({ length: 1234 }, (_, i) => i % 4))))
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels([0, 1]))
    expect(idxLabelFacts(dir)).toEqual({ used: 4, examples: 1234 })
    expect(idxLabelFacts(join(dir, 'missing'))).toBeNull()
  })
})
