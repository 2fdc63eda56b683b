/** Which lesson is open (kept while the learner visits other pages), and the quiz answers given. */
import { LESSONS } from './curriculum'

class LessonsState {
  /** A lesson id, or 'glossary'. */
  current = $state<string>(LESSONS[0].id)
  /** Chosen answer per question, keyed `<lesson>:<question index>`. */
  answers = $state<Record<string, number>>({})
}

export const lessons = new LessonsState()
