// Runs every case of the shared corpus (tests/corpus/<op>/<case>.json)
// through the Node binding and prints the tally, `N passed, M failed`.
// Each operation has one function below returning the JSON value the
// case's `expect` is compared with (or a Promise of it: convert,
// negotiate and diff_id use the Promise variants; the registry tests
// check that the Sync ones agree).
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

// The binding's objects use camelCase and leave absent values undefined;
// the corpus has snake_case keys and nulls.
const orNull = (v) => (v === undefined ? null : v)

const descriptor = (d) => ({ media_type: orNull(d.mediaType), digest: d.digest, size: orNull(d.size) })

const indexEntry = (e) => ({ media_type: e.mediaType, digest: e.digest, size: e.size, platform: orNull(e.platform) })

const report = (r) => ({
  format: r.format,
  media_type: r.mediaType,
  detected_from: r.detectedFrom,
  digest: r.digest,
  size: r.size,
  config: r.config ? descriptor(r.config) : null,
  layers: r.layers.map(descriptor),
  manifests: r.manifests.map(indexEntry),
  artifact_type: orNull(r.artifactType),
  subject: r.subject ? descriptor(r.subject) : null,
  annotations: r.annotations,
  schema1: r.schema1 ? { name: r.schema1.name, tag: r.schema1.tag, architecture: r.schema1.architecture } : null,
  signatures: r.signatures.map((s) => ({ alg: s.alg, key_id: orNull(s.keyId), verified: s.verified })),
})

function manifest(input, dir) {
  const data = readFileSync(join(dir, input.file))
  const limits = input.limits && {
    maxManifestBytes: input.limits.max_manifest_bytes,
    maxConfigBytes: input.limits.max_config_bytes,
    maxLayers: input.limits.max_layers,
    maxChildren: input.limits.max_children,
    maxJsonDepth: input.limits.max_json_depth,
    maxSignatures: input.limits.max_signatures,
  }
  return tranship.parseManifest(data, input.content_type, limits)
}

const conversionReport = (r) => ({
  source_format: r.sourceFormat,
  source_digest: r.sourceDigest,
  result_format: r.resultFormat,
  result_digest: r.resultDigest,
  source_config_digest: orNull(r.sourceConfigDigest),
  result_config_digest: orNull(r.resultConfigDigest),
  lost: r.lost,
})

const layerView = (l) => ({
  diff_id: l.diffId,
  digest: l.digest,
  compression: l.compression,
  size: l.size,
  uncompressed_size: l.uncompressedSize,
})

const signing = (input, dir) => ({
  unsigned: input.unsigned === true,
  signingKey: input.signing_key ? readFileSync(join(dir, input.signing_key)) : undefined,
})

/** For signed schema1: [payload text, every signature verifies, key id]. */
function signedView(body) {
  let m
  try {
    m = tranship.parseManifest(body)
  } catch {
    return null
  }
  if (m.report().format !== 'schema1-signed') return null
  const payload = m.payload.toString('utf8')
  try {
    const signers = m.verifySignatures()
    return [payload, true, signers.length ? signers[0].keyId : null]
  } catch {
    return [payload, false, null]
  }
}

const ops = {
  reference: (input) => {
    const r = tranship.parseReference(input.reference)
    return {
      registry: r.registry,
      repository: r.repository,
      tag: orNull(r.tag),
      digest: orNull(r.digest),
      name: r.name,
      full: r.full,
      familiar: r.familiar,
      endpoint: r.endpoint,
      plain_http: r.plainHttp,
    }
  },
  address: (input) => {
    const a = tranship.parseAddress(input.address)
    return {
      transport: a.transport,
      path: orNull(a.path),
      name: orNull(a.name),
      reference: orNull(a.reference),
      index: orNull(a.index),
      text: a.text,
    }
  },
  digest_parse: (input) => {
    const d = tranship.parseDigest(input.digest)
    return { algorithm: d.algorithm, hex: d.hex }
  },
  digest: (input, dir) => ({ digest: manifest(input, dir).digest(input.algorithm) }),
  manifest: (input, dir) => report(manifest(input, dir).report()),
  manifest_verify: (input, dir) => ({
    signatures: manifest(input, dir)
      .verifySignatures()
      .map((s) => ({ alg: s.alg, key_id: s.keyId })),
  }),
  platform: (input) => {
    const p = tranship.parsePlatform(input.platform)
    return {
      os: p.os,
      architecture: p.architecture,
      variant: orNull(p.variant),
      os_version: orNull(p.osVersion),
      text: p.text,
    }
  },
  platform_match: (input) => ({ matches: tranship.platformMatches(input.want, input.have) }),
  convert: async (input, dir) => {
    const c = await manifest(input, dir).convert(input.to, {
      config: input.config ? readFileSync(join(dir, input.config)) : undefined,
      blobs: input.blobs ? join(dir, input.blobs) : undefined,
      diffIds: input.diff_ids,
      layerSizes: input.layer_sizes,
      reencodeConfig: input.reencode_config === true,
      name: input.name,
      tag: input.tag,
      ...signing(input, dir),
    })
    const result = {
      manifest: c.manifest.raw.toString('utf8'),
      config: c.config ? c.config.toString('utf8') : null,
      report: conversionReport(c.report),
    }
    const view = signedView(c.manifest.raw)
    if (view) {
      delete result.manifest
      result.payload = view[0]
      result.signed = view[1]
      if ('signing_key' in input) result.key_id = view[2]
    }
    return result
  },
  diff_id: async (input, dir) => layerView(await tranship.diffIdFile(join(dir, input.file))),
  compress: async (input, dir) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tranship-corpus-node-'))
    try {
      return layerView(
        await tranship.compressFile(join(dir, input.file), join(scratch, 'out'), {
          format: input.format,
          level: input.level,
          threads: input.threads,
        }),
      )
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  },
  decompress: async (input, dir) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tranship-corpus-node-'))
    try {
      return layerView(await tranship.decompressFile(join(dir, input.file), join(scratch, 'out')))
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  },
  negotiate: async (input, dir) => {
    const contents = []
    if (input.config) contents.push(readFileSync(join(dir, input.config)))
    if (input.blobs) {
      const store = join(dir, input.blobs, 'blobs', 'sha256')
      for (const name of readdirSync(store).sort()) contents.push(readFileSync(join(store, name)))
    }
    const s = await manifest(input, dir).negotiate({
      accept: input.accept ?? [],
      byDigest: input.by_digest === true,
      name: input.name,
      tag: input.tag,
      contents,
      ...signing(input, dir),
    })
    const view = signedView(s.body)
    const result = {
      content_type: s.contentType,
      digest: s.digest,
      etag: s.etag,
      converted: s.converted,
      selected: orNull(s.selected),
      needs_empty_layer: s.needsEmptyLayer,
      report: s.report ? conversionReport(s.report) : null,
      signed: view !== null && view[1],
    }
    if ('signing_key' in input) result.key_id = view ? view[2] : null
    return result
  },
  copy: async (input, dir) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tranship-corpus-node-'))
    try {
      const s = await new tranship.Registry().copy(`oci:${join(dir, input.source)}:${input.name}`, `oci:${scratch}/out:copied`, {
        platforms: input.platforms,
        all: input.all === true,
        format: input.format,
        stripMissing: input.strip_missing === true,
        preserveDigests: input.preserve_digests === true,
        referrers: input.referrers,
        compressFormat: input.compress_format,
        compressLevel: input.compress_level,
      })
      return {
        destination_digest: s.destinationDigest,
        media_type: s.mediaType,
        platforms: s.platforms,
        sparse: s.sparse,
        stripped: s.stripped,
        manifests: s.manifests,
        referrers: s.referrers.map((r) => ({
          subject: r.subject,
          digest: r.digest,
          artifact_type: orNull(r.artifactType),
          tag: orNull(r.tag),
        })),
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  },
  check: async (input, dir) => {
    const r = await new tranship.Registry().check(`oci:${join(dir, input.layout)}:${input.name}`)
    return {
      digest: r.digest,
      media_type: r.mediaType,
      complete: r.complete,
      hashed: r.hashed,
      children: r.children.map((c) => ({ digest: c.digest, platform: orNull(c.platform), state: c.state })),
      blobs: r.blobs.map((b) => ({ digest: b.digest, size: orNull(b.size), found_size: orNull(b.foundSize), state: b.state })),
    }
  },
  platform_select: (input, dir) => {
    const chosen = manifest(input, dir).selectPlatform(input.platform)
    return { index: chosen.index, digest: chosen.digest, platform: orNull(chosen.platform) }
  },
}

/** Runs one case; throws when the outcome differs from the case. */
async function runCase(path) {
  const c = JSON.parse(readFileSync(path, 'utf8'))
  const op = ops[c.op]
  assert.ok(op, `no Node runner for op '${c.op}'`)
  let got
  try {
    got = await op(c.input, dirname(path))
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
  test(relative(CORPUS, path), async () => {
    try {
      await runCase(path)
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
