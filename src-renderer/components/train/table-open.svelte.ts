/** Whether the epoch chart's and the loss chart's "Show as table" are open: kept while the learner visits other pages. */
export const tableOpen = $state({ epoch: false, loss: false })
