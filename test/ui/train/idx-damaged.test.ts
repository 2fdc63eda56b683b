/**
 * A damaged IDX folder's problems (Q4 B5) in the page's words, en and ko: beside the folder box before Start
 * (folderNote, train.idxProblem.<case>) and as Start's refusal (refusal, errors train-failed.<case>), naming the file
 * and saying to copy it again, the byte counts grouped. Before, these cases had no key: the box said nothing and the
 * failed run gave a generic Korean line with the reader's English in parentheses.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { folderClasses, folderNote } from '../../../src-renderer/lib/folder-classes.svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { refusal } from '../../../src-renderer/lib/lab-errors'
import type { IdxFolderProblem } from '../../../src-engine/data/idx-problem'

const truncated: IdxFolderProblem = { case: 'idx-truncated', dir: '/d', file: 'train-images-idx3-ubyte', declared: 6272000, size: 3135992 }
const mismatch: IdxFolderProblem = { case: 'idx-count-mismatch', dir: '/d', imagesFile: 'train-images-idx3-ubyte', labelsFile: 'train-labels-idx1-ubyte', images: 8000, labels: 7000 }
const label: IdxFolderProblem = { case: 'idx-label', dir: '/d', file: 'train-labels-idx1-ubyte', index: 0, label: 200, top: 9 }
const extra: IdxFolderProblem = { case: 'idx-extra', dir: '/d', file: 't10k-labels-idx1-ubyte', declared: 10000, size: 10001 }
const note = (p: IdxFolderProblem) => tr(folderNote({ message: 'English', facts: p }))
const refused = (p: IdxFolderProblem) => tr(refusal({ code: 'train-failed', message: 'English', params: { ...p } }))

afterEach(() => i18n.set('en'))

describe('a damaged IDX folder, said before Start and at it', () => {
  it('in English: the file, what is wrong with grouped counts, and to copy it again', () => {
    expect(note(truncated)).toBe('train-images-idx3-ubyte in the folder /d is cut short: its header promises 6,272,000 bytes, but the file holds only 3,135,992. ' +
      'The copy was probably interrupted: copy the complete file there again. Start would refuse it.')
    expect(refused(mismatch)).toBe('Training did not start: in the folder /d, train-images-idx3-ubyte has 8,000 images but train-labels-idx1-ubyte has 7,000 labels; ' +
      'each image needs its label. Copy the two files of the same set there again.')
    expect(note(label)).toContain('holds the label 200 (example #0), but labels go from 0 to 9')
    expect(refused(extra)).toContain('10,001 bytes where it promises 10,000')
  })

  it('in Korean, with no English left in it', () => {
    i18n.set('ko')
    expect(refused(truncated)).toBe('학습을 시작하지 않았습니다. /d 폴더의 train-images-idx3-ubyte 파일이 중간에 잘려 있습니다. 헤더에는 6,272,000바이트라고 적혀 있는데 ' +
      '실제로는 3,135,992바이트뿐입니다. 온전한 파일을 다시 복사해 넣으세요.')
    expect(note(mismatch)).toBe('/d 폴더의 train-images-idx3-ubyte 파일에는 이미지가 8,000개, train-labels-idx1-ubyte 파일에는 레이블이 7,000개 있습니다. ' +
      '이미지마다 레이블이 하나씩 있어야 합니다. 같은 데이터셋의 두 파일을 다시 복사해 넣으세요. 이대로는 학습을 시작할 수 없습니다.')
    for (const p of [truncated, mismatch, label, extra]) {
      for (const text of [note(p), refused(p)]) {
        expect(text).toContain('복사해 넣으세요')
        expect(text.replace(/[\w./#-]*(idx\d-ubyte|\/d)/g, '').replace('MNIST', '')).not.toMatch(/[A-Za-z]{3,}/)
      }
    }
  })
  it('a gzipped file that does not decompress, and a file of float32 values: named with what to do, en and ko (before, a .gz failed only at the run, and a float32 file read as not IDX)', () => {
    const gz: IdxFolderProblem = { case: 'idx-gzip', dir: '/d', file: 'train-images-idx3-ubyte.gz' }
    const type: IdxFolderProblem = { case: 'idx-type', dir: '/d', file: 'train-images-idx3-ubyte', typeCode: '0x0D', valueType: 'float32' }
    expect(note(gz)).toBe('train-images-idx3-ubyte.gz in the folder /d is gzipped but does not decompress to its end: the download or copy was cut short, or the file is damaged. ' +
      'Download it again, or put the uncompressed file there. Start would refuse it.')
    expect(refused(type)).toBe('Training did not start: train-images-idx3-ubyte in the folder /d holds float32 values (IDX type 0x0D), but the lab reads IDX files of unsigned bytes only ' +
      '(type 0x08: pixels from 0 to 255, and labels), as MNIST and Fashion-MNIST are stored. Convert the file to bytes, or choose another folder.')
    i18n.set('ko')
    expect(refused(gz)).toBe('학습을 시작하지 않았습니다. /d 폴더의 train-images-idx3-ubyte.gz 파일은 압축 파일인데 끝까지 풀리지 않습니다. 내려받기나 복사가 도중에 끊겼거나 파일이 손상되었습니다. ' +
      '파일을 다시 내려받거나, 압축을 푼 파일을 그 자리에 넣으세요.')
    expect(note(type)).toBe('/d 폴더의 train-images-idx3-ubyte 파일에는 float32 값이 들어 있습니다(IDX 형식 코드 0x0D). 이 실험실은 MNIST와 Fashion-MNIST처럼 ' +
      '부호 없는 바이트(형식 코드 0x08, 픽셀은 0~255)\u2060로 된 IDX 파일만 읽습니다. 파일을 바이트 값으로 변환하거나 다른 폴더를 고르세요. 이대로는 학습을 시작할 수 없습니다.')
    for (const p of [gz, type]) {
      for (const text of [note(p), refused(p)]) {
        expect(text.replace(/[\w./#-]*(idx\d-ubyte(\.gz)?|\/d)/g, '').replace(/(Fashion-)?MNIST|IDX|float32/g, '')).not.toMatch(/[A-Za-z]{3,}/)
      }
    }
  })

  it('images the network does not take (Q4 B5: 56 × 14 for (1, 28, 28)): said beside the box from the sizes the host gave, en and ko', () => {
    folderClasses.sizes = { dir: '/d', images: [{ file: 'train-images-idx3-ubyte', height: 56, width: 14 }] }
    const net: NetSpec = { name: 'n', input: [1, 28, 28], task: 'classify', layers: [{ type: 'SoftmaxWithLoss' }] }
    const p = folderClasses.shapeProblemIn('/d ', net)!
    expect(p.facts).toEqual({ case: 'idx-shape', dir: '/d', file: 'train-images-idx3-ubyte', height: 56, width: 14, input: '(1, 28, 28)', want: '(1, 56, 14)' })
    expect(tr(folderNote(p))).toBe('train-images-idx3-ubyte in the folder /d holds images of 56\u00a0×\u00a014 pixels, but the network takes inputs of (1, 28, 28). ' +
      'Set the network\'s input to (1, 56, 14) in the editor, or choose a folder of images of its size. Start would refuse it.')
    expect(folderClasses.shapeProblemIn('/d', { ...net, input: [1, 56, 14] })).toBeNull()
    expect(folderClasses.shapeProblemIn('/d', { ...net, input: [56, 14] })).toBeNull()
    expect(folderClasses.shapeProblemIn('/other', net)).toBeNull()
    i18n.set('ko')
    expect(tr(folderNote(p))).toBe('/d 폴더의 train-images-idx3-ubyte 파일에 든 이미지는 56\u00a0×\u00a014 픽셀이지만, 이 신경망은 (1, 28, 28) 형상의 입력을 받습니다. ' +
      '편집기에서 신경망의 입력을 (1, 56, 14) 형상으로 바꾸거나, 입력 크기에 맞는 이미지가 든 폴더를 고르세요. 이대로는 학습을 시작할 수 없습니다.')
    expect(tr(refusal({ code: 'train-failed', message: 'English', params: { ...p.facts } }))).toMatch(/^학습을 시작하지 않았습니다\. .*\(1, 56, 14\) 형상으로 바꾸거나/)
    folderClasses.sizes = null
  })
})
