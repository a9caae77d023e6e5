// Round trips through the Registry class against the real distribution
// registries scripts/test-bindings starts (TRANSHIP_TEST_REGISTRY, open;
// TRANSHIP_TEST_AUTH_REGISTRY with TRANSHIP_TEST_AUTH_USER and
// TRANSHIP_TEST_AUTH_PASSWORD, htpasswd Basic). Without them the tests
// skip and say why; with TRANSHIP_REQUIRE_REGISTRY set they fail instead.
//
// Also proves that the JavaScript thread stays free while blobs move (a
// timer keeps ticking during a long push and pull) and that calls run
// concurrently.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { getEventListeners } from 'node:events'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'

import { ticking } from './event-loop.mjs'

const require = createRequire(import.meta.url)
const { Registry, parseManifest } = require('../index.js')

const OPEN = 'TRANSHIP_TEST_REGISTRY'
const AUTH = ['TRANSHIP_TEST_AUTH_REGISTRY', 'TRANSHIP_TEST_AUTH_USER', 'TRANSHIP_TEST_AUTH_PASSWORD']

/**
 * A test needing the registry variables `names`: skipped with the reason
 * printed when one is missing, or failed when TRANSHIP_REQUIRE_REGISTRY
 * is set.
 */
function registryTest(name, names, fn) {
  const missing = names.filter((n) => !process.env[n])
  const reason = `${missing.join(', ')} not set (scripts/test-bindings starts the registries)`
  if (missing.length === 0) {
    test(name, fn)
  } else if (process.env.TRANSHIP_REQUIRE_REGISTRY) {
    test(name, () => assert.fail(`registries are required but ${reason}`))
  } else {
    console.log(`skipped: ${name}: ${reason}`)
    test(name, { skip: reason }, () => {})
  }
}

const WORK = mkdtempSync(join(tmpdir(), 'tranship-node-registry-'))
after(() => rmSync(WORK, { recursive: true, force: true }))

/** A repository name no other run or binding uses. */
const RUN = `node-${process.pid}-${randomBytes(4).toString('hex')}`
let repositories = 0
const uniqueRepo = (what) => `${RUN}/${what}-${repositories++}`

const sha256 = (data) => 'sha256:' + createHash('sha256').update(data).digest('hex')

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

/** A small OCI image: a config, layers of random bytes, the manifest as JSON text. */
function image(layerSizes, { architecture = 'amd64', artifactType } = {}) {
  const layers = layerSizes.map((n) => randomBytes(n))
  const config = Buffer.from(
    JSON.stringify({
      architecture,
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map(sha256) },
    }),
  )
  const descriptor = (mediaType, data) => ({ mediaType, digest: sha256(data), size: data.length })
  const manifest = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        ...(artifactType && { artifactType }),
        config: descriptor('application/vnd.oci.image.config.v1+json', config),
        layers: layers.map((l) => descriptor('application/vnd.oci.image.layer.v1.tar+gzip', l)),
      }),
    ),
  )
  return { config, layers, manifest }
}

/** Pushes an image's blobs and puts its manifest under `reference`; returns the digest. */
async function pushImage(registry, reference, { config, layers, manifest }) {
  await Promise.all([config, ...layers].map((b) => registry.pushBlob(reference, b)))
  return registry.putManifest(reference, manifest)
}

/** The events one transfer reported, checked to run from its start to `finished`. */
function checkTransfer(events, direction, digest, size) {
  assert.ok(events.length >= 2, `events: ${JSON.stringify(events)}`)
  for (const e of events) {
    assert.equal(e.direction, direction)
    assert.equal(e.digest, digest)
  }
  assert.equal(events[0].phase, 'started')
  assert.equal(events[0].done, 0)
  const last = events.at(-1)
  assert.equal(last.phase, 'finished')
  assert.equal(last.done, size)
  // An upload knows its size; a download of a blob by digest alone does not.
  assert.equal(last.total, direction === 'upload' ? size : undefined)
  const done = events.map((e) => e.done)
  assert.deepEqual(done, [...done].sort((a, b) => a - b), 'done never goes back')
}

const rejectsWith = (promise, code) => assert.rejects(promise, (err) => err.code === code || assert.fail(`${err.code}: ${err.message}`))

registryTest('push, put, get, head, tags, catalog and blobs round trip', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry()
  const repo = uniqueRepo('app')
  const ref = `${host}/${repo}:v1`
  const img = image([1500, 70000])
  const [config, bytesLayer, fileLayer] = [img.config, ...img.layers]

  // Blobs: from bytes (digest given, and computed) and from a file.
  const uploads = []
  const pushedConfig = await registry.pushBlob(ref, config, { digest: sha256(config), progress: (e) => uploads.push(e) })
  assert.deepEqual(pushedConfig, { digest: sha256(config), size: config.length, outcome: 'uploaded' })
  checkTransfer(uploads, 'upload', sha256(config), config.length)
  assert.equal((await registry.pushBlob(`docker://${ref}`, bytesLayer)).digest, sha256(bytesLayer))
  const layerFile = join(WORK, 'layer')
  writeFileSync(layerFile, fileLayer)
  const fileUploads = []
  const pushedFile = await registry.pushBlobFile(ref, layerFile, { progress: (e) => fileUploads.push(e) })
  assert.deepEqual(pushedFile, { digest: sha256(fileLayer), size: fileLayer.length, outcome: 'uploaded' })
  checkTransfer(fileUploads, 'upload', sha256(fileLayer), fileLayer.length)

  // The manifest, by tag and by digest.
  const digest = await registry.putManifest(ref, img.manifest)
  assert.equal(digest, img.manifest.digest())
  for (const wanted of [ref, `${host}/${repo}@${digest}`]) {
    const fetched = await registry.getManifest(wanted)
    assert.deepEqual(fetched.manifest.raw, img.manifest.raw)
    assert.equal(fetched.digest, digest)
    assert.equal(fetched.contentType, OCI_MANIFEST)
    assert.equal(fetched.reference, wanted)
    assert.equal(fetched.indexDigest, undefined)
    assert.equal(fetched.platform, undefined)
  }
  const narrowed = await registry.getManifest(ref, { accept: [OCI_MANIFEST] })
  assert.equal(narrowed.digest, digest)
  assert.deepEqual(await registry.headManifest(ref), { digest, mediaType: OCI_MANIFEST, size: img.manifest.raw.length })
  assert.equal(await registry.manifestDigest(ref), digest)
  assert.deepEqual(await registry.tags(ref), ['v1'])
  assert.ok((await registry.catalog(`http://${host}/v2/`)).includes(repo))

  // Blobs back, in memory and to a file.
  assert.equal(await registry.blobExists(ref, sha256(fileLayer)), fileLayer.length)
  assert.equal(await registry.blobExists(ref, sha256(Buffer.from('not pushed'))), null)
  assert.deepEqual(await registry.getBlob(ref, sha256(bytesLayer)), bytesLayer)
  const downloads = []
  const target = join(WORK, 'pulled')
  const nothing = await registry.getBlobToFile(ref, sha256(fileLayer), target, { progress: (e) => downloads.push(e) })
  assert.equal(nothing, undefined)
  assert.deepEqual(readFileSync(target), fileLayer)
  checkTransfer(downloads, 'download', sha256(fileLayer), fileLayer.length)

  // Pushing again finds the blob; another repository mounts it.
  const again = []
  const existed = await registry.pushBlob(ref, bytesLayer, { progress: (e) => again.push(e) })
  assert.equal(existed.outcome, 'existed')
  assert.deepEqual(again.map((e) => e.phase), ['exists'])
  const other = `${host}/${uniqueRepo('mounted')}:v1`
  const mounted = await registry.pushBlobFile(other, layerFile, { mountFrom: [ref] })
  assert.deepEqual(mounted, { digest: sha256(fileLayer), size: fileLayer.length, outcome: 'mounted' })

  // Missing things fail with the core's codes.
  await rejectsWith(registry.getBlob(ref, sha256(Buffer.from('missing'))), 'BLOB_UNKNOWN')
  await rejectsWith(registry.getBlobToFile(ref, sha256(Buffer.from('missing')), join(WORK, 'never')), 'BLOB_UNKNOWN')
  assert.ok(!existsSync(join(WORK, 'never')), 'nothing is left behind')
  await rejectsWith(registry.getManifest(`${host}/${repo}:nope`), 'MANIFEST_UNKNOWN')
  await rejectsWith(registry.getManifest('Not A Reference'), 'INVALID_REFERENCE')
  await rejectsWith(registry.blobExists(ref, 'sha256:nothex'), 'INVALID_DIGEST')

  // Deleted, the manifest is gone.
  assert.equal(await registry.deleteManifest(ref), digest)
  await rejectsWith(registry.getManifest(`${host}/${repo}@${digest}`), 'MANIFEST_UNKNOWN')
})

registryTest('an index of two platforms: getManifest chooses the child', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry()
  const repo = `${host}/${uniqueRepo('multi')}`
  const children = [image([300], { architecture: 'amd64' }), image([400], { architecture: 'arm64' })]
  const digests = await Promise.all(
    children.map(async (img) => {
      await Promise.all([img.config, ...img.layers].map((b) => registry.pushBlob(repo, b)))
      return registry.putManifest(`${repo}@${img.manifest.digest()}`, img.manifest)
    }),
  )
  const index = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: children.map((img, i) => ({
          mediaType: OCI_MANIFEST,
          digest: digests[i],
          size: img.manifest.raw.length,
          platform: { architecture: ['amd64', 'arm64'][i], os: 'linux' },
        })),
      }),
    ),
  )
  const indexDigest = await registry.putManifest(`${repo}:multi`, index)

  const whole = await registry.getManifest(`${repo}:multi`)
  assert.equal(whole.digest, indexDigest)
  assert.equal(whole.manifest.report().format, 'oci-index')

  const arm = await registry.getManifest(`${repo}:multi`, { platform: 'linux/arm64' })
  assert.equal(arm.digest, digests[1])
  assert.deepEqual(arm.manifest.raw, children[1].manifest.raw)
  assert.equal(arm.indexDigest, indexDigest)
  assert.equal(arm.platform, 'linux/arm64')
  assert.equal(arm.reference, `${repo}@${digests[1]}`)
  await rejectsWith(registry.getManifest(`${repo}:multi`, { platform: 'linux/s390x' }), 'PLATFORM_NOT_FOUND')
})

registryTest('referrers through the tag schema (distribution 2.8 has no referrers API)', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry()
  const repo = `${host}/${uniqueRepo('referrers')}`
  const subject = image([100])
  const subjectDigest = await pushImage(registry, `${repo}:v1`, subject)
  assert.deepEqual(await registry.referrers(`${repo}:v1`, subjectDigest), [])

  const sbom = image([50])
  const sbomDigest = await pushImage(registry, `${repo}:sbom`, sbom)
  const index = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: sbomDigest,
            size: sbom.manifest.raw.length,
            artifactType: 'application/example.sbom',
            annotations: { 'org.example.kind': 'sbom' },
          },
        ],
      }),
    ),
  )
  await registry.putManifest(`${repo}:${subjectDigest.replace(':', '-')}`, index)
  assert.deepEqual(await registry.referrers(`${repo}:v1`, subjectDigest), [
    {
      mediaType: OCI_MANIFEST,
      digest: sbomDigest,
      size: sbom.manifest.raw.length,
      artifactType: 'application/example.sbom',
      annotations: { 'org.example.kind': 'sbom' },
    },
  ])
  assert.deepEqual(await registry.referrers(`${repo}:v1`, subjectDigest, 'application/other'), [])
})

registryTest('the auth registry: anonymous is refused, credentials and an authfile work', [...AUTH], async () => {
  const [host, username, password] = AUTH.map((n) => process.env[n])
  const repo = `${host}/${uniqueRepo('private')}`
  const img = image([200])

  // An empty authfile: nothing from this machine's credential files.
  const emptyAuthfile = join(WORK, 'empty-auth.json')
  writeFileSync(emptyAuthfile, '{"auths":{}}')
  const anonymous = new Registry({ authfile: emptyAuthfile })
  await rejectsWith(anonymous.pushBlob(`${repo}:v1`, img.config), 'UNAUTHORIZED')
  await rejectsWith(anonymous.getManifest(`${repo}:v1`), 'UNAUTHORIZED')

  const withCredentials = new Registry({ credentials: { [host]: { username, password } } })
  const digest = await pushImage(withCredentials, `${repo}:v1`, img)
  assert.equal((await withCredentials.getManifest(`${repo}:v1`)).digest, digest)

  const authfile = join(WORK, 'config.json')
  const auth = Buffer.from(`${username}:${password}`).toString('base64')
  writeFileSync(authfile, JSON.stringify({ auths: { [host]: { auth } } }))
  const withAuthfile = new Registry({ authfile })
  const fetched = await withAuthfile.getManifest(`${repo}:v1`)
  assert.deepEqual(fetched.manifest.raw, img.manifest.raw)
  assert.deepEqual(await withAuthfile.getBlob(`${repo}:v1`, sha256(img.layers[0])), img.layers[0])
  assert.deepEqual(await withAuthfile.tags(`${repo}:v1`), ['v1'])
})

registryTest('the event loop runs while a large blob is pushed and pulled', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry()
  const ref = `${host}/${uniqueRepo('large')}:v1`
  const blob = randomBytes(48 << 20)

  const pushed = await ticking(() => registry.pushBlob(ref, blob))
  assert.equal(pushed.result.outcome, 'uploaded')
  const pulled = await ticking(() => registry.getBlob(ref, sha256(blob)))
  assert.ok(pulled.result.equals(blob))
  console.log(
    `48 MiB push: ${pushed.ms.toFixed(0)} ms, ${pushed.ticks} timer ticks; pull: ${pulled.ms.toFixed(0)} ms, ${pulled.ticks} ticks`,
  )
  assert.ok(pushed.ticks >= 5, `the timer ran ${pushed.ticks} times during the push`)
  assert.ok(pulled.ticks >= 5, `the timer ran ${pulled.ticks} times during the pull`)
})

registryTest('calls run concurrently (Promise.all)', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry({ maxConcurrentRequests: 4 })
  const images = Array.from({ length: 4 }, (_, i) => image([1000 + i, 2000 + i]))
  const refs = images.map(() => `${host}/${uniqueRepo('concurrent')}:v1`)
  const digests = await Promise.all(images.map((img, i) => pushImage(registry, refs[i], img)))
  assert.deepEqual(digests, images.map((img) => img.manifest.digest()))
  const fetched = await Promise.all(refs.map((r) => registry.getManifest(r)))
  assert.deepEqual(fetched.map((f) => f.digest), digests)
  const blobs = await Promise.all(images.map((img, i) => registry.getBlob(refs[i], sha256(img.layers[1]))))
  blobs.forEach((b, i) => assert.deepEqual(b, images[i].layers[1]))
})

registryTest('an AbortSignal cancels a call and the client goes on', [OPEN], async () => {
  const host = process.env[OPEN]
  const registry = new Registry()
  const repo = `${host}/${uniqueRepo('abort')}`
  const small = randomBytes(1000)
  await registry.pushBlob(repo, small)

  // Already aborted: the call rejects with the signal's reason.
  await assert.rejects(registry.tags(repo, { signal: AbortSignal.abort() }), { name: 'AbortError' })
  const stop = new Error('stop')
  await assert.rejects(registry.blobExists(repo, sha256(small), { signal: AbortSignal.abort(stop) }), stop)

  // Aborted while a 64 MiB upload runs; then while a download to a file runs.
  const big = randomBytes(64 << 20)
  const upload = new AbortController()
  const pushing = registry.pushBlob(repo, big, { signal: upload.signal })
  setTimeout(() => upload.abort(), 20)
  await assert.rejects(pushing, { name: 'AbortError' })
  const pushed = await registry.pushBlob(repo, big)
  const download = new AbortController()
  const path = join(WORK, 'aborted-download')
  const getting = registry.getBlobToFile(repo, pushed.digest, path, { signal: download.signal })
  setTimeout(() => download.abort(), 10)
  await assert.rejects(getting, { name: 'AbortError' })
  // The temporary file goes when the dropped download is cleaned up.
  const leftovers = () => readdirSync(WORK).filter((n) => n.includes('aborted-download'))
  for (let i = 0; i < 50 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 20))
  assert.deepEqual(leftovers(), [], 'an aborted download leaves no file')

  // A signal that never fires, shared by many calls, changes nothing.
  const quiet = new AbortController()
  const sizes = await Promise.all(
    Array.from({ length: 8 }, () => registry.blobExists(repo, sha256(small), { signal: quiet.signal })),
  )
  assert.deepEqual(sizes, Array(8).fill(small.length))
  assert.equal(getEventListeners(quiet.signal, 'abort').length, 0, 'each call removes its listener')
  quiet.abort()
  assert.equal(await registry.blobExists(repo, sha256(small)), small.length)
})
