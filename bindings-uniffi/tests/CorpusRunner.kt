// Runs every case of the shared corpus (tests/corpus/<op>/<case>.json)
// through the Kotlin binding and prints the tally, `N passed, M failed`.
// Each operation has one function below returning the value (maps, lists,
// strings, numbers, booleans, null) the case's `expect` is compared with.
//
// Usage: java -Djna.library.path=DIR -cp ... CorpusRunnerKt tests/corpus

import dev.tranship.ConversionReport
import dev.tranship.ConvertOptions
import dev.tranship.DescriptorReport
import dev.tranship.LayerDigests
import dev.tranship.Limits
import dev.tranship.Manifest
import dev.tranship.ManifestReport
import dev.tranship.NegotiateRequest
import dev.tranship.TranshipException
import dev.tranship.compressFile
import dev.tranship.decompressFile
import dev.tranship.diffIdFile
import dev.tranship.parseAddress
import dev.tranship.parseDigest
import dev.tranship.parseManifest
import dev.tranship.parsePlatform
import dev.tranship.parseReference
import dev.tranship.platformMatches
import dev.tranship.Registry
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.math.BigDecimal
import kotlin.system.exitProcess

/** One corpus operation: the case's `input` and its folder in, a value out. */
typealias Op = (input: JSONObject, dir: File) -> Any?

fun JSONObject.str(key: String): String? = if (has(key)) getString(key) else null

fun manifest(input: JSONObject, dir: File): Manifest {
    val limits = input.optJSONObject("limits")?.let { l ->
        fun get(key: String) = if (l.has(key)) l.getLong(key) else null
        Limits(
            maxManifestBytes = get("max_manifest_bytes"),
            maxConfigBytes = get("max_config_bytes"),
            maxLayers = get("max_layers"),
            maxChildren = get("max_children"),
            maxJsonDepth = get("max_json_depth"),
            maxSignatures = get("max_signatures"),
        )
    }
    return parseManifest(File(dir, input.getString("file")).readBytes(), input.str("content_type"), limits)
}

fun descriptor(d: DescriptorReport) = mapOf("media_type" to d.mediaType, "digest" to d.digest, "size" to d.size)

fun report(r: ManifestReport) = mapOf(
    "format" to r.format,
    "media_type" to r.mediaType,
    "detected_from" to r.detectedFrom,
    "digest" to r.digest,
    "size" to r.size,
    "config" to r.config?.let(::descriptor),
    "layers" to r.layers.map(::descriptor),
    "manifests" to r.manifests.map {
        mapOf("media_type" to it.mediaType, "digest" to it.digest, "size" to it.size, "platform" to it.platform)
    },
    "artifact_type" to r.artifactType,
    "subject" to r.subject?.let(::descriptor),
    "annotations" to r.annotations,
    "schema1" to r.schema1?.let { mapOf("name" to it.name, "tag" to it.tag, "architecture" to it.architecture) },
    "signatures" to r.signatures.map { mapOf("alg" to it.alg, "key_id" to it.keyId, "verified" to it.verified) },
)

fun conversionReport(r: ConversionReport) = mapOf(
    "source_format" to r.sourceFormat,
    "source_digest" to r.sourceDigest,
    "result_format" to r.resultFormat,
    "result_digest" to r.resultDigest,
    "source_config_digest" to r.sourceConfigDigest,
    "result_config_digest" to r.resultConfigDigest,
    "lost" to r.lost,
)

fun signingKey(input: JSONObject, dir: File): ByteArray? = input.str("signing_key")?.let { File(dir, it).readBytes() }

/** For signed schema1: its payload text, whether every signature verifies, and the signer's key id. */
fun signedView(body: ByteArray): Triple<String, Boolean, String?>? {
    val m = try {
        parseManifest(body)
    } catch (e: TranshipException) {
        return null
    }
    return m.use {
        if (it.report().format != "schema1-signed") return null
        val payload = String(it.payload(), Charsets.UTF_8)
        try {
            Triple(payload, true, it.verifySignatures().firstOrNull()?.keyId)
        } catch (e: TranshipException) {
            Triple(payload, false, null)
        }
    }
}

fun layerView(l: LayerDigests) = mapOf(
    "diff_id" to l.diffId,
    "digest" to l.digest,
    "compression" to l.compression,
    "size" to l.size,
    "uncompressed_size" to l.uncompressedSize,
)

/** Runs [body] with a file path inside a fresh temporary folder, removed after. */
fun <T> inScratch(body: (File) -> T): T {
    val scratch = java.nio.file.Files.createTempDirectory("tranship-corpus-kotlin-").toFile()
    try {
        return body(File(scratch, "out"))
    } finally {
        scratch.deleteRecursively()
    }
}

fun stringMap(o: JSONObject?): Map<String, String> = o?.keySet()?.associateWith { o.getString(it) } ?: emptyMap()

val ops: Map<String, Op> = mapOf(
    "reference" to { input, _ ->
        val r = parseReference(input.getString("reference"))
        mapOf(
            "registry" to r.registry,
            "repository" to r.repository,
            "tag" to r.tag,
            "digest" to r.digest,
            "name" to r.name,
            "full" to r.full,
            "familiar" to r.familiar,
            "endpoint" to r.endpoint,
            "plain_http" to r.plainHttp,
        )
    },
    "address" to { input, _ ->
        val a = parseAddress(input.getString("address"))
        mapOf(
            "transport" to a.transport,
            "path" to a.path,
            "name" to a.name,
            "reference" to a.reference,
            "index" to a.index,
            "text" to a.text,
        )
    },
    "digest_parse" to { input, _ ->
        val d = parseDigest(input.getString("digest"))
        mapOf("algorithm" to d.algorithm, "hex" to d.hex)
    },
    "digest" to { input, dir ->
        manifest(input, dir).use { mapOf("digest" to it.digest(input.str("algorithm"))) }
    },
    "manifest" to { input, dir -> manifest(input, dir).use { report(it.report()) } },
    "manifest_verify" to { input, dir ->
        manifest(input, dir).use { m ->
            mapOf("signatures" to m.verifySignatures().map { mapOf("alg" to it.alg, "key_id" to it.keyId) })
        }
    },
    "platform" to { input, _ ->
        val p = parsePlatform(input.getString("platform"))
        mapOf(
            "os" to p.os,
            "architecture" to p.architecture,
            "variant" to p.variant,
            "os_version" to p.osVersion,
            "text" to p.text,
        )
    },
    "platform_match" to { input, _ ->
        mapOf("matches" to platformMatches(input.getString("want"), input.getString("have")))
    },
    "convert" to { input, dir ->
        val options = ConvertOptions(
            config = input.str("config")?.let { File(dir, it).readBytes() },
            blobs = input.str("blobs")?.let { File(dir, it).path },
            diffIds = stringMap(input.optJSONObject("diff_ids")),
            layerSizes = input.optJSONObject("layer_sizes")?.let { o ->
                o.keySet().associateWith { o.getLong(it) }
            } ?: emptyMap(),
            reencodeConfig = input.optBoolean("reencode_config", false),
            name = input.str("name"),
            tag = input.str("tag"),
            unsigned = input.optBoolean("unsigned", false),
            signingKey = signingKey(input, dir),
        )
        manifest(input, dir).use { m ->
            val c = m.convert(input.getString("to"), options)
            c.manifest.use { converted ->
                val raw = converted.raw()
                val result = linkedMapOf<String, Any?>(
                    "manifest" to String(raw, Charsets.UTF_8),
                    "config" to c.config?.let { String(it, Charsets.UTF_8) },
                    "report" to conversionReport(c.report),
                )
                signedView(raw)?.let { (payload, ok, keyId) ->
                    result.remove("manifest")
                    result["payload"] = payload
                    result["signed"] = ok
                    if (input.has("signing_key")) result["key_id"] = keyId
                }
                result
            }
        }
    },
    "diff_id" to { input, dir -> layerView(diffIdFile(File(dir, input.getString("file")).path)) },
    "compress" to { input, dir ->
        inScratch { out ->
            layerView(
                compressFile(
                    File(dir, input.getString("file")).path,
                    out.path,
                    input.str("format"),
                    if (input.has("level")) input.getLong("level") else null,
                    if (input.has("threads")) input.getInt("threads").toUInt() else null,
                ),
            )
        }
    },
    "decompress" to { input, dir ->
        inScratch { out -> layerView(decompressFile(File(dir, input.getString("file")).path, out.path)) }
    },
    "negotiate" to { input, dir ->
        val contents = mutableListOf<ByteArray>()
        input.str("config")?.let { contents.add(File(dir, it).readBytes()) }
        input.str("blobs")?.let { blobs ->
            val store = File(File(File(dir, blobs), "blobs"), "sha256")
            (store.listFiles() ?: emptyArray()).sortedBy { it.name }.forEach { contents.add(it.readBytes()) }
        }
        val accept = input.optJSONArray("accept")?.let { a -> (0 until a.length()).map { a.getString(it) } } ?: emptyList()
        val request = NegotiateRequest(
            accept = accept,
            byDigest = input.optBoolean("by_digest", false),
            name = input.str("name") ?: "",
            tag = input.str("tag") ?: "",
            contents = contents,
            unsigned = input.optBoolean("unsigned", false),
            signingKey = signingKey(input, dir),
        )
        manifest(input, dir).use { m ->
            val s = m.negotiate(request)
            val view = signedView(s.body)
            val result = linkedMapOf<String, Any?>(
                "content_type" to s.contentType,
                "digest" to s.digest,
                "etag" to s.etag,
                "converted" to s.converted,
                "selected" to s.selected,
                "needs_empty_layer" to s.needsEmptyLayer,
                "report" to s.report?.let(::conversionReport),
                "signed" to (view?.second ?: false),
            )
            if (input.has("signing_key")) result["key_id"] = view?.third
            result
        }
    },
    "copy" to { input, dir ->
        val scratch = java.nio.file.Files.createTempDirectory("tranship-corpus-kotlin-").toFile()
        try {
            val platforms = input.optJSONArray("platforms")?.let { a -> (0 until a.length()).map { a.getString(it) } } ?: emptyList()
            val s = runBlocking {
                Registry().use { registry ->
                    registry.copy(
                        "oci:${File(dir, input.getString("source")).path}:${input.getString("name")}",
                        "oci:${File(scratch, "out").path}:copied",
                        platforms = platforms,
                        all = input.optBoolean("all", false),
                        format = input.str("format"),
                        stripMissing = input.optBoolean("strip_missing", false),
                        preserveDigests = input.optBoolean("preserve_digests", false),
                        referrers = if (input.has("referrers")) input.getBoolean("referrers") else null,
                        compressFormat = input.str("compress_format"),
                        compressLevel = if (input.has("compress_level")) input.getLong("compress_level") else null,
                    )
                }
            }
            mapOf(
                "destination_digest" to s.destinationDigest,
                "media_type" to s.mediaType,
                "platforms" to s.platforms,
                "sparse" to s.sparse,
                "stripped" to s.stripped,
                "manifests" to s.manifests,
                "referrers" to s.referrers.map {
                    mapOf("subject" to it.subject, "digest" to it.digest, "artifact_type" to it.artifactType, "tag" to it.tag)
                },
            )
        } finally {
            scratch.deleteRecursively()
        }
    },
    "check" to { input, dir ->
        val r = runBlocking {
            Registry().use { it.check("oci:${File(dir, input.getString("layout")).path}:${input.getString("name")}") }
        }
        mapOf(
            "digest" to r.digest,
            "media_type" to r.mediaType,
            "complete" to r.complete,
            "hashed" to r.hashed,
            "children" to r.children.map { mapOf("digest" to it.digest, "platform" to it.platform, "state" to it.state) },
            "blobs" to r.blobs.map {
                mapOf("digest" to it.digest, "size" to it.size, "found_size" to it.foundSize, "state" to it.state)
            },
        )
    },
    "platform_select" to { input, dir ->
        manifest(input, dir).use { m ->
            val chosen = m.selectPlatform(input.getString("platform"))
            mapOf("index" to chosen.index, "digest" to chosen.digest, "platform" to chosen.platform)
        }
    },
)

/** Makes JSON values and Kotlin results comparable with `==`. */
fun normalize(value: Any?): Any? = when (value) {
    null, JSONObject.NULL -> null
    is JSONObject -> value.keySet().associateWith { normalize(value.get(it)) }
    is JSONArray -> (0 until value.length()).map { normalize(value.get(it)) }
    is Map<*, *> -> value.entries.associate { it.key.toString() to normalize(it.value) }
    is List<*> -> value.map { normalize(it) }
    is UInt, is ULong, is Number -> BigDecimal(value.toString()).stripTrailingZeros()
    else -> value
}

/** Runs one case; returns what went wrong, or null when it passed. */
fun runCase(file: File): String? {
    val case = JSONObject(file.readText())
    val op = ops[case.getString("op")] ?: return "no Kotlin runner for op '${case.getString("op")}'"
    val got = try {
        op(case.getJSONObject("input"), file.parentFile)
    } catch (e: TranshipException.Failed) {
        return when {
            !case.has("error") -> "unexpected error ${e.code}: ${e.detail}"
            e.code != case.getString("error") -> "expected error ${case.getString("error")}, got ${e.code}: ${e.detail}"
            else -> null
        }
    }
    if (case.has("error")) return "expected error ${case.getString("error")}, got $got"
    val want = normalize(case.get("expect"))
    val have = normalize(got)
    return if (want == have) null else "expected $want\n     got $have"
}

fun main(args: Array<String>) {
    val root = File(args.firstOrNull() ?: "tests/corpus")
    val cases = (root.listFiles() ?: emptyArray())
        .filter { it.isDirectory }
        .flatMap { dir -> (dir.listFiles() ?: emptyArray()).filter { it.isFile && it.name.endsWith(".json") } }
        .sortedBy { it.path }
    var passed = 0
    var failed = 0
    for (file in cases) {
        val problem = try {
            runCase(file)
        } catch (e: Exception) {
            "threw $e"
        }
        if (problem == null) {
            passed += 1
        } else {
            failed += 1
            println("FAIL ${file.relativeTo(root)}: $problem")
        }
    }
    println("$passed passed, $failed failed")
    if (failed > 0 || passed == 0) exitProcess(1)
}
