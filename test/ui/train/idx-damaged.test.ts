/**
 * A damaged IDX folder's problems (Q4 B5) in the page's words, en and ko: beside the folder box before Start
 * (folderNote, train.idxProblem.<case>) and as Start's refusal (refusal, errors train-failed.<case>), naming the file
 * and saying to copy it again, the byte counts grouped. Before, these cases had no key: the box said nothing and the
 * failed run gave a generic Korean line with the reader's English in parentheses.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { folderNote } from '../../../src-renderer/lib/folder-classes.svelte'
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
})
