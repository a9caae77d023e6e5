// Runs every ```js example of docs/node.md as a CommonJS script inside
// this package, so `require('tranship')` resolves to the built binding.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..')
const DOC = join(PACKAGE, '..', 'docs', 'node.md')
const examples = [...readFileSync(DOC, 'utf8').matchAll(/^```js\n(.*?)^```$/gms)].map((m) => m[1])

test('the docs have examples', () => {
  assert.ok(examples.length > 0, `no \`\`\`js blocks in ${DOC}`)
})

// An example that talks to a registry reads TRANSHIP_TEST_REGISTRY; it
// is skipped (and says so) when that is not set, unless registries are
// required.
const registryMissing =
  !process.env.TRANSHIP_TEST_REGISTRY &&
  !process.env.TRANSHIP_REQUIRE_REGISTRY &&
  'TRANSHIP_TEST_REGISTRY not set (scripts/test-bindings starts a registry)'

examples.forEach((code, i) => {
  const skip = code.includes('TRANSHIP_TEST_REGISTRY') && registryMissing
  if (skip) console.log(`skipped: docs/node.md example ${i + 1}: ${skip}`)
  test(`docs/node.md example ${i + 1}`, { skip }, () => {
    execFileSync(process.execPath, ['--input-type=commonjs', '-e', code], { cwd: PACKAGE, stdio: 'pipe' })
  })
})
