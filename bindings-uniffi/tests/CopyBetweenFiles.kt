// Registry.copy between the places on disk, through the Kotlin binding:
// the bundled schema1 image (an OCI layout) into a docker-archive and an
// OCI layout, upconverted on the way. No registry is needed: a copy
// between files uses the client only for its settings.
//
// Usage: java -Djna.library.path=DIR -cp ... CopyBetweenFilesKt REPOSITORY_ROOT

import dev.tranship.CopySummary
import dev.tranship.ProgressEvent
import dev.tranship.ProgressListener
import dev.tranship.Registry
import dev.tranship.TranshipException
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.system.exitProcess

private const val SCHEMA1 = "sha256:a86f5da515e66d1480fd288a4ad3f2c701279cb1ed3e5bf4e46afc50d121cfa1"
private const val SCHEMA2 = "sha256:0cb20f286091727f78b1714cea649a7cec646ef65b5bfabbf1c148ecfb76e69b"
private const val DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
private const val OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"

/** Records a copy's progress events. */
private class CopyEvents : ProgressListener {
    val events = CopyOnWriteArrayList<ProgressEvent>()
    override fun onEvent(event: ProgressEvent) {
        events.add(event)
    }

    /** Every blob copied reported `started` first and `finished` last. */
    fun check(summary: CopySummary) {
        val digests = summary.blobs.map { it.digest }.toSet()
        check(events.map { it.digest }.toSet() == digests) { "events: $events" }
        check(events.all { it.direction == "upload" }) { "events: $events" }
        for (digest in digests) {
            val phases = events.filter { it.digest == digest }.map { it.phase }
            check(phases.first() == "started" && phases.last() == "finished") { "$digest: $phases" }
        }
    }
}

private suspend fun expectFailure(code: String, call: suspend () -> Unit) {
    try {
        call()
    } catch (e: TranshipException.Failed) {
        check(e.code == code) { "expected $code, got ${e.code}: ${e.detail}" }
        return
    }
    error("expected $code, the call succeeded")
}

private suspend fun intoDockerArchive(registry: Registry, source: String, work: File) {
    val archive = File(work, "hello.tar")
    val events = CopyEvents()
    val summary = registry.copy(source, "docker-archive:${archive.path}:examples/hello:v1", progress = events)
    check(summary.source == source) { "$summary" }
    check(summary.destination == "docker-archive:${archive.path}:docker.io/examples/hello:v1") { "$summary" }
    check(summary.sourceDigest == SCHEMA1 && summary.destinationDigest == SCHEMA2) { "$summary" }
    check(summary.mediaType == DOCKER_V2) { "$summary" }
    check(summary.platforms.isEmpty() && summary.platformReason == "a single image") { "$summary" }
    val conversion = summary.conversions.single()
    check(conversion.sourceFormat == "schema1-signed" && conversion.sourceDigest == SCHEMA1) { "$conversion" }
    check(conversion.resultFormat == "schema2" && conversion.resultDigest == SCHEMA2) { "$conversion" }
    check("signatures" in conversion.lost) { "$conversion" }
    check(summary.blobs.size == 3 && summary.blobs.all { it.outcome == "copied" }) { "${summary.blobs}" }
    check(summary.bytesCopied == summary.blobs.sumOf { it.size }) { "$summary" }
    check(summary.manifests == listOf(SCHEMA2)) { "$summary" }
    check(archive.isFile) { "no ${archive.path}" }
    events.check(summary)

    // The archive reads back as the schema2 image it holds.
    val back = registry.copy("docker-archive:${archive.path}", "oci:${File(work, "back").path}:v1")
    check(back.sourceDigest == SCHEMA2 && back.destinationDigest == SCHEMA2 && back.conversions.isEmpty()) { "$back" }

    // With the pre-Docker 25 entries: the same image, plus `repositories`.
    val legacy = File(work, "legacy.tar")
    val old = registry.copy(source, "docker-archive:${legacy.path}:examples/hello:v1", legacy = true)
    check(old.destinationDigest == SCHEMA2) { "$old" }
    val repositories = JSONObject(tar("-xOf", legacy.path, "repositories"))
    val top = repositories.getJSONObject("examples/hello").getString("v1")
    check(tar("-tvf", legacy.path, "$top/layer.tar").startsWith("l")) { "$top/layer.tar is not a link" }

    // Several sources into one docker-archive: a summary each, in order.
    val two = File(work, "two.tar")
    val both = registry.copyAll(listOf(source, "docker-archive:${archive.path}"), "docker-archive:${two.path}")
    check(both.map { it.destinationDigest } == listOf(SCHEMA2, SCHEMA2)) { "$both" }
    check(both.map { it.source } == listOf(source, "docker-archive:${archive.path}")) { "$both" }
    check(JSONArray(tar("-xOf", two.path, "manifest.json")).length() == 2) { "manifest.json of ${two.path}" }
}

/** Runs `tar ARGS`, returning what it printed. */
private fun tar(vararg args: String): String {
    val process = ProcessBuilder("tar", *args).redirectErrorStream(true).start()
    val out = process.inputStream.bufferedReader().readText()
    check(process.waitFor() == 0) { "tar ${args.joinToString(" ")}: $out" }
    return out
}

private suspend fun intoOciLayout(registry: Registry, source: String, work: File) {
    val layout = File(work, "layout")
    val events = CopyEvents()
    val summary = registry.copy(source, "oci:${layout.path}:v1", format = "oci", jobs = 1u, progress = events)
    check(summary.sourceDigest == SCHEMA1 && summary.mediaType == OCI_MANIFEST) { "$summary" }
    val conversion = summary.conversions.single()
    check(conversion.sourceDigest == SCHEMA1 && conversion.resultFormat == "oci-manifest") { "$conversion" }
    check(conversion.resultDigest == summary.destinationDigest) { "$conversion" }
    val index = JSONObject(File(layout, "index.json").readText())
    val named = (0 until index.getJSONArray("manifests").length())
        .map { index.getJSONArray("manifests").getJSONObject(it).getString("digest") }
    check(named == listOf(summary.destinationDigest)) { "index.json names $named" }
    check(File(layout, "oci-layout").isFile)
    for (blob in summary.blobs) {
        val (algorithm, hex) = blob.digest.split(":")
        check(File(layout, "blobs/$algorithm/$hex").length().toULong() == blob.size) { "$blob" }
    }
    events.check(summary)
}

private suspend fun refusals(registry: Registry, source: String, work: File) {
    val never = File(work, "never")
    expectFailure("INVALID_ADDRESS") { registry.copy(source, "nope://x") }
    expectFailure("INVALID_ADDRESS") { registry.copy(source, "oci:") }
    expectFailure("INVALID_CONFIG") { registry.copy(source, "oci:${never.path}", jobs = 0u) }
    expectFailure("INVALID_CONFIG") {
        registry.copy(source, "oci:${never.path}", all = true, platforms = listOf("linux/amd64"))
    }
    expectFailure("INVALID_PLATFORM") { registry.copy(source, "oci:${never.path}", platforms = listOf("linux")) }
    expectFailure("INVALID_CONFIG") { registry.copy(source, "oci:${never.path}", legacy = true) }
    expectFailure("INVALID_CONFIG") { registry.copyAll(listOf(source, source), "oci:${never.path}") }
    expectFailure("IO") { registry.copy("oci:${File(work, "absent").path}:v1", "oci:${never.path}") }
    check(!never.exists()) { "a refused copy wrote ${never.path}" }
}

fun main(args: Array<String>) = runBlocking {
    val root = File(args.getOrElse(0) { "." })
    val source = "oci:${File(root, "examples/hello-schema1").path}:v1"
    val work: File = Files.createTempDirectory("tranship-kotlin-copy-").toFile()
    val checks = listOf<Pair<String, suspend (Registry) -> Unit>>(
        "copy upconverts schema1 into a docker-archive" to { r -> intoDockerArchive(r, source, work) },
        "copy into an OCI layout passes its options on" to { r -> intoOciLayout(r, source, work) },
        "copy refuses what the core refuses, with its code" to { r -> refusals(r, source, work) },
    )
    var failed = 0
    Registry().use { registry ->
        for ((name, body) in checks) {
            try {
                body(registry)
                println("ok: $name")
            } catch (e: Throwable) {
                failed += 1
                println("FAILED: $name: $e")
                e.printStackTrace()
            }
        }
    }
    work.deleteRecursively()
    println("copies: ${checks.size - failed} passed, $failed failed")
    if (failed > 0) exitProcess(1)
}
