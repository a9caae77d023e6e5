// Runs every case of the shared corpus (tests/corpus/<op>/<case>.json)
// through the Kotlin binding and prints the tally, `N passed, M failed`.
// Each operation has one function below returning the value (maps, lists,
// strings, numbers, booleans, null) the case's `expect` is compared with.
//
// Usage: java -Djna.library.path=DIR -cp ... CorpusRunnerKt tests/corpus

import dev.tranship.DescriptorReport
import dev.tranship.Limits
import dev.tranship.Manifest
import dev.tranship.ManifestReport
import dev.tranship.TranshipException
import dev.tranship.parseDigest
import dev.tranship.parseManifest
import dev.tranship.parsePlatform
import dev.tranship.parseReference
import dev.tranship.platformMatches
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
        fun get(key: String) = if (l.has(key)) l.getLong(key).toULong() else null
        Limits(
            maxManifestBytes = get("max_manifest_bytes"),
            maxConfigBytes = get("max_config_bytes"),
            maxLayers = get("max_layers"),
            maxChildren = get("max_children"),
            maxJsonDepth = get("max_json_depth"),
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
