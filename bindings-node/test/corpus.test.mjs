// Runs every case of the shared corpus (tests/corpus/<op>/<case>.json)
// through the Node binding and prints the tally, `N passed, M failed`.
// Each operation has one function below returning the JSON value the
// case's `expect` is compared with.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const tranship = require('../index.js')

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'corpus')

/** Every case: the JSON files exactly one folder below the corpus root. */
function caseFiles() {
  const files = []
  for (const op of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, op)
    if (!statSync(dir).isDirectory()) continue
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.json') && statSync(join(dir, name)).isFile()) files.push(join(dir, name))
    }
  }
  return files
}

const ops = {
  digest_parse: (input) => {
    const d = tranship.parseDigest(input.digest)
    return { algorithm: d.algorithm, hex: d.hex }
  },
}

/** Runs one case; throws when the outcome differs from the case. */
function runCase(path) {
  const c = JSON.parse(readFileSync(path, 'utf8'))
  const op = ops[c.op]
  assert.ok(op, `no Node runner for op '${c.op}'`)
  let got
  try {
    got = op(c.input, dirname(path))
  } catch (e) {
    assert.ok('error' in c, `unexpected error ${e.code}: ${e.message}`)
    assert.strictEqual(e.code, c.error, `expected error ${c.error}, got ${e.code}: ${e.message}`)
    return
  }
  assert.ok(!('error' in c), `expected error ${c.error}, got ${JSON.stringify(got)}`)
  assert.deepStrictEqual(got, c.expect)
}

const tally = { passed: 0, failed: 0 }

test('the corpus is not empty', () => {
  assert.ok(caseFiles().length > 0, `no cases found under ${CORPUS}`)
})

for (const path of caseFiles()) {
  test(relative(CORPUS, path), () => {
    try {
      runCase(path)
      tally.passed += 1
    } catch (e) {
      tally.failed += 1
      throw e
    }
  })
}

// Printed on exit, after the test reporter's own output.
process.on('exit', () => {
  console.log(`${tally.passed} passed, ${tally.failed} failed`)
})
