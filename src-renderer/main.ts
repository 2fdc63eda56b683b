import { mount } from 'svelte'
import App from './App.svelte'
import { keepDraft, restoreDraft } from './lib/draft-store.svelte'
import { pageStorage } from './lib/stored'
import { keepProgress, restoreProgress } from './lib/lessons/progress-store.svelte'
import './app.css'

// the network being edited comes back from the last visit before the page is drawn, and is kept from now on
restoreDraft(pageStorage())
keepDraft(pageStorage())
// so does the learner's place in the lessons: the open lesson, the quiz answers, the lessons opened
restoreProgress(pageStorage())
keepProgress(pageStorage())
mount(App, { target: document.getElementById('app')! })
