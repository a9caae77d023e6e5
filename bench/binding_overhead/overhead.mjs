// Node side of bench/binding_overhead.sh: the same calls as the Rust
// baseline, through the `tranship` package built in release mode (its
// index.js is argv[2]). Prints `node OP NS_PER_CALL`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const tranship = require(process.argv[2])

/** Median nanoseconds per call over 5 rounds of n calls, after a warm-up round. */
function nsPerCall(n, f) {
  const rounds = []
  for (let round = 0; round < 6; round++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) f()
    if (round > 0) rounds.push(Number(process.hrtime.bigint() - start) / n)
  }
  rounds.sort((a, b) => a - b)
  return rounds[Math.floor(rounds.length / 2)]
}

const data = readFileSync(process.argv[3])
const manifest = tranship.parseManifest(data)
const results = {
  parse_reference: nsPerCall(200_000, () => tranship.parseReference('alpine:3.19')),
  parse_manifest: nsPerCall(50_000, () => tranship.parseManifest(data)),
  report: nsPerCall(50_000, () => manifest.report()),
}
for (const [op, ns] of Object.entries(results)) console.log(`node ${op} ${ns.toFixed(0)}`)
