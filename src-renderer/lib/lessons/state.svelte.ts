/** Which lesson is open (kept while the learner visits other pages), the quiz answers given, the lessons opened. */
import { LESSONS } from './curriculum'

class LessonsState {
  /** A lesson id, or 'glossary'. */
  current = $state<string>(LESSONS[0].id)
  /** Chosen answer per question, keyed `<lesson>:<question index>`. */
  answers = $state<Record<string, number>>({})
  /** Lessons opened at least once, in the curriculum's order (the glossary is not a lesson). */
  visited = $state<string[]>([])

  /** Marks a lesson opened (a no-op for one already marked, so an effect may call it each time the lesson shows). */
  visit(id: string): void {
    if (this.visited.includes(id) || !LESSONS.some((l) => l.id === id)) return
    this.visited = LESSONS.map((l) => l.id).filter((x) => x === id || this.visited.includes(x))
  }
}

export const lessons = new LessonsState()

/** Questions of a lesson answered correctly, of how many. */
export function rightCount(id: string, answers: Record<string, number>): { right: number; total: number } {
  const l = LESSONS.find((x) => x.id === id)
  if (!l) return { right: 0, total: 0 }
  return { right: l.questions.filter((q, k) => answers[`${id}:${k}`] === q.answer).length, total: l.questions.length }
}

/** A lesson is done when every one of its questions has been answered correctly (said so under the lesson list). */
export function lessonDone(id: string, answers: Record<string, number>): boolean {
  const { right, total } = rightCount(id, answers)
  return total > 0 && right === total
}
