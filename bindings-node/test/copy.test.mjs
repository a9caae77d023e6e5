// Registry.copy between the places on disk: the bundled schema1 image (an
// OCI layout) into a docker-archive and an OCI layout, upconverted on the
// way. No registry is needed: a copy between files uses the client only
// for its settings.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { getEventListeners } from 'node:events'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, test } from 'node:test'

const require = createRequire(import.meta.url)
const { Registry } = require('../index.js')

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SOURCE = `oci:${join(ROOT, 'examples', 'hello-schema1')}:v1`
const SCHEMA1 = 'sha256:a86f5da515e66d1480fd288a4ad3f2c701279cb1ed3e5bf4e46afc50d121cfa1'
const SCHEMA2 = 'sha256:0cb20f286091727f78b1714cea649a7cec646ef65b5bfabbf1c148ecfb76e69b'
const DOCKER_V2 = 'application/vnd.docker.distribution.manifest.v2+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

const WORK = mkdtempSync(join(tmpdir(), 'tranship-node-copy-'))
after(() => rmSync(WORK, { recursive: true, force: true }))

const rejectsWith = (promise, code) =>
  assert.rejects(promise, (err) => err.code === code || assert.fail(`${err.code}: ${err.message}`))

/** Every blob copied reported `started` first and `finished` last. */
function checkEvents(events, summary) {
  const digests = new Set(summary.blobs.map((b) => b.digest))
  assert.deepEqual(new Set(events.map((e) => e.digest)), digests)
  assert.deepEqual(new Set(events.map((e) => e.direction)), new Set(['upload']))
  for (const digest of digests) {
    const phases = events.filter((e) => e.digest === digest).map((e) => e.phase)
    assert.equal(phases[0], 'started', digest)
    assert.equal(phases.at(-1), 'finished', digest)
  }
}

test('copy upconverts schema1 into a docker-archive', async () => {
  const archive = join(WORK, 'hello.tar')
  const events = []
  const summary = await new Registry().copy(SOURCE, `docker-archive:${archive}:examples/hello:v1`, {
    progress: (e) => events.push(e),
  })
  assert.equal(summary.source, SOURCE)
  assert.equal(summary.destination, `docker-archive:${archive}:docker.io/examples/hello:v1`)
  assert.equal(summary.sourceDigest, SCHEMA1)
  assert.equal(summary.destinationDigest, SCHEMA2)
  assert.equal(summary.mediaType, DOCKER_V2)
  assert.deepEqual(summary.platforms, [])
  assert.equal(summary.platformReason, 'a single image')
  assert.equal(summary.conversions.length, 1)
  const [conversion] = summary.conversions
  assert.equal(conversion.sourceFormat, 'schema1-signed')
  assert.equal(conversion.sourceDigest, SCHEMA1)
  assert.equal(conversion.resultFormat, 'schema2')
  assert.equal(conversion.resultDigest, SCHEMA2)
  assert.ok(conversion.lost.includes('signatures'))
  assert.equal(summary.blobs.length, 3)
  assert.ok(summary.blobs.every((b) => b.outcome === 'copied'))
  assert.equal(summary.bytesCopied, summary.blobs.reduce((n, b) => n + b.size, 0))
  assert.deepEqual(summary.manifests, [SCHEMA2])
  assert.ok(statSync(archive).isFile())
  // Every event reached the callback before the Promise settled.
  checkEvents(events, summary)

  // The archive reads back as the schema2 image it holds.
  const back = await new Registry().copy(`docker-archive:${archive}`, `oci:${join(WORK, 'back')}:v1`)
  assert.equal(back.sourceDigest, SCHEMA2)
  assert.equal(back.destinationDigest, SCHEMA2)
  assert.deepEqual(back.conversions, [])

  // With the pre-Docker 25 entries: the same image, plus `repositories`.
  const legacy = join(WORK, 'legacy.tar')
  const old = await new Registry().copy(SOURCE, `docker-archive:${legacy}:examples/hello:v1`, { legacy: true })
  assert.equal(old.destinationDigest, SCHEMA2)
  const repositories = JSON.parse(execFileSync('tar', ['-xOf', legacy, 'repositories'], { encoding: 'utf8' }))
  const top = repositories['examples/hello'].v1
  assert.match(execFileSync('tar', ['-tvf', legacy, `${top}/layer.tar`], { encoding: 'utf8' }), /^l/)

  // Several sources into one docker-archive: a summary each, in order.
  const two = join(WORK, 'two.tar')
  const both = await new Registry().copyAll([SOURCE, `docker-archive:${archive}`], `docker-archive:${two}`)
  assert.deepEqual(both.map((s) => s.destinationDigest), [SCHEMA2, SCHEMA2])
  assert.deepEqual(both.map((s) => s.source), [SOURCE, `docker-archive:${archive}`])
  assert.equal(JSON.parse(execFileSync('tar', ['-xOf', two, 'manifest.json'], { encoding: 'utf8' })).length, 2)
})

test('copy into an OCI layout passes its options on', async () => {
  const layout = join(WORK, 'layout')
  const events = []
  const signal = new AbortController().signal
  const summary = await new Registry().copy(SOURCE, `oci:${layout}:v1`, {
    format: 'oci',
    jobs: 1,
    progress: (e) => events.push(e),
    signal,
  })
  assert.equal(summary.sourceDigest, SCHEMA1)
  assert.equal(summary.mediaType, OCI_MANIFEST)
  const [conversion] = summary.conversions
  assert.equal(conversion.sourceDigest, SCHEMA1)
  assert.equal(conversion.resultFormat, 'oci-manifest')
  assert.equal(conversion.resultDigest, summary.destinationDigest)
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'))
  assert.deepEqual(index.manifests.map((m) => m.digest), [summary.destinationDigest])
  assert.ok(existsSync(join(layout, 'oci-layout')))
  for (const blob of summary.blobs) {
    const [algorithm, hex] = blob.digest.split(':')
    assert.equal(statSync(join(layout, 'blobs', algorithm, hex)).size, blob.size)
  }
  checkEvents(events, summary)
  assert.equal(getEventListeners(signal, 'abort').length, 0, 'the call removes its listener')
})

test('copy rejects what the core refuses, with its code', async () => {
  const registry = new Registry()
  const never = join(WORK, 'never')
  await rejectsWith(registry.copy(SOURCE, 'nope://x'), 'INVALID_ADDRESS')
  await rejectsWith(registry.copy(SOURCE, 'oci:'), 'INVALID_ADDRESS')
  await rejectsWith(registry.copy(SOURCE, `oci:${never}`, { jobs: 0 }), 'INVALID_CONFIG')
  await rejectsWith(registry.copy(SOURCE, `oci:${never}`, { all: true, platforms: ['linux/amd64'] }), 'INVALID_CONFIG')
  await rejectsWith(registry.copy(SOURCE, `oci:${never}`, { platforms: ['linux'] }), 'INVALID_PLATFORM')
  await rejectsWith(registry.copy(SOURCE, `oci:${never}`, { legacy: true }), 'INVALID_CONFIG')
  await rejectsWith(registry.copyAll([SOURCE, SOURCE], `oci:${never}`), 'INVALID_CONFIG')
  await rejectsWith(registry.copy(`oci:${join(WORK, 'absent')}:v1`, `oci:${never}`), 'IO')
  assert.ok(!existsSync(never))
  // An aborted signal: the copy rejects with its reason, nothing written.
  await assert.rejects(registry.copy(SOURCE, `oci:${never}`, { signal: AbortSignal.abort() }), { name: 'AbortError' })
  assert.ok(!existsSync(never))
})
