/**
 * Lesson text as it is shown: a shape written as a tuple, "(1, 28, 28)" or "(N, C, H, W)", and a product of sizes,
 * "3 × 3" or "N × C × H × W", are kept on one line. The browser wraps at any space, so a paragraph could end a line
 * with "(1, 28," and start the next with "28)", which a student reads as two things. The spaces inside such a
 * tuple or product become no-break spaces here, in one place, instead of in every lesson's prose (en and ko).
 * Only tuples of numbers and short Latin names are joined: "(fully connected, Dense)" or a Korean aside in brackets
 * is ordinary text that may wrap. A joined run longer than the column still fits: the paragraph may break it
 * anywhere as a last resort (overflow-wrap in LessonView and Quiz).
 */

const NBSP = '\u00a0'

/**
 * One item of a shape tuple: a number (maybe negative or with a decimal point, maybe in the explainers' powers of ten,
 * "1.2×10⁻⁴", or infinite), a short name like N, FH, w1 or x₀, or "…".
 */
const ITEM = String.raw`[−-]?(?:\d+(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|∞|[A-Za-z][A-Za-z0-9₀-₉]{0,3}|…)`
const TUPLE = new RegExp(String.raw`\(${ITEM}(?:, ${ITEM})+\)`, 'g')
/** The spaces around a "×" between two sizes or names (letters or digits on both sides). */
const TIMES = /(?<=[A-Za-z0-9]) × (?=[A-Za-z0-9])/g

export function keepShapesTogether(text: string): string {
  return text
    .replace(TUPLE, (m) => m.replaceAll(', ', `,${NBSP}`))
    .replace(TIMES, `${NBSP}×${NBSP}`)
}
