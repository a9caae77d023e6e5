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

examples.forEach((code, i) => {
  test(`docs/node.md example ${i + 1}`, () => {
    execFileSync(process.execPath, ['--input-type=commonjs', '-e', code], { cwd: PACKAGE, stdio: 'pipe' })
  })
})
