/**
 * Whether the loss and accuracy charts fit the current run's network (the legend's checkbox, RunLegend): on by
 * default, so a short run of a new network is not squeezed into a corner by the longer runs of networks trained
 * before it (series.ts otherNetworks); the learner may turn it off to see every run in full again.
 */
export const chartFit = $state({ current: true })
