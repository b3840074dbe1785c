package cluster

// liveForksMetric is the built-in validator's gauge of live fork tips above
// its root (validator/metrics), scraped from the node's /metrics.
const liveForksMetric = "slonui_validator_live_forks"
