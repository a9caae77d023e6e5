// The operations that read blobs or hash layers return Promises and do
// their work off the JavaScript thread; their ...Sync variants block it.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, test } from 'node:test'
import { gzipSync } from 'node:zlib'

import { ticking } from './event-loop.mjs'

const require = createRequire(import.meta.url)
const { diffIdFile, diffIdFileSync, parseManifest } = require('../index.js')

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'corpus')
const WORK = mkdtempSync(join(tmpdir(), 'tranship-node-background-'))
after(() => rmSync(WORK, { recursive: true, force: true }))

const sha256 = (data) => 'sha256:' + createHash('sha256').update(data).digest('hex')

// diff_ids are computed on a blocking thread. The same measurement of
// diffIdFileSync sees no tick, which shows the measurement can tell the
// two apart.
test('diffIdFile leaves the event loop free; diffIdFileSync blocks it', async () => {
  // 64 MiB of compressible text, gzipped fast: a long decompress and hash.
  const line = Buffer.from('tranship diff_id event loop check 0123456789abcdef\n')
  const content = Buffer.alloc(64 << 20)
  for (let i = 0; i < content.length; i += line.length) line.copy(content, i)
  const layer = join(WORK, 'large.tar.gz')
  const gzip = gzipSync(content, { level: 1 })
  writeFileSync(layer, gzip)

  const async = await ticking(() => diffIdFile(layer))
  assert.deepEqual(async.result, {
    diffId: sha256(content),
    digest: sha256(gzip),
    compression: 'gzip',
    size: gzip.length,
    uncompressedSize: content.length,
  })
  const sync = await ticking(async () => diffIdFileSync(layer))
  assert.deepEqual(sync.result, async.result)
  console.log(
    `diff_id of 64 MiB: diffIdFile ${async.ms.toFixed(0)} ms, ${async.ticks} timer ticks; diffIdFileSync ${sync.ms.toFixed(0)} ms, ${sync.ticks} ticks`,
  )
  assert.ok(async.ticks >= 5, `the timer ran ${async.ticks} times during diffIdFile`)
  assert.equal(sync.ticks, 0, 'diffIdFileSync holds the JavaScript thread')
  await assert.rejects(diffIdFile(join(WORK, 'missing.tar.gz')), { code: 'IO' })
  assert.throws(() => diffIdFileSync(join(WORK, 'missing.tar.gz')), { code: 'IO' })
})

test('convert and negotiate: the Promise and the Sync variants agree', async () => {
  // schema1 to OCI reads the layers from the blob store to compute diff_ids.
  const s1 = parseManifest(readFileSync(join(CORPUS, 'convert', 'data', 's1-basic.json')))
  const options = { blobs: join(CORPUS, 'convert', 'data', 'blobs') }
  const pending = s1.convert('oci', options)
  assert.ok(pending instanceof Promise)
  const converted = await pending
  const convertedSync = s1.convertSync('oci', options)
  assert.deepEqual(converted.manifest.raw, convertedSync.manifest.raw)
  assert.deepEqual(converted.config, convertedSync.config)
  assert.deepEqual(converted.report, convertedSync.report)
  assert.equal(converted.report.resultFormat, 'oci-manifest')

  // Failures reject, and throw from the Sync variant, with the same code.
  const artifact = parseManifest(readFileSync(join(CORPUS, 'convert', 'data', 'oci-artifact.json')))
  await assert.rejects(artifact.convert('v2s2'), { code: 'CONVERSION' })
  assert.throws(() => artifact.convertSync('v2s2'), { code: 'CONVERSION' })
  let code
  assert.throws(() => s1.convertSync('v9'), (err) => (code = err.code) !== undefined)
  await assert.rejects(s1.convert('v9'), { code })

  // schema2 served to a client that accepts only schema1: a conversion.
  const dir = join(CORPUS, 'negotiate', 'data')
  const schema2 = parseManifest(readFileSync(join(dir, 'schema2.json')))
  const request = {
    accept: [],
    name: 'corpus/negotiate',
    tag: 'schema2',
    unsigned: true,
    contents: [readFileSync(join(dir, 'store', 'blobs', 'sha256', '2e641fe7b36af69102b5fec406146b03af373c356872b2adac24f963fac79cf9'))],
  }
  const served = await schema2.negotiate(request)
  assert.equal(served.converted, true)
  assert.deepEqual(served, schema2.negotiateSync(request))
})
