// Round trips through the Kotlin binding's Registry against the real
// distribution registries scripts/test-bindings starts
// (TRANSHIP_TEST_REGISTRY, open; TRANSHIP_TEST_AUTH_REGISTRY with
// TRANSHIP_TEST_AUTH_USER and TRANSHIP_TEST_AUTH_PASSWORD, htpasswd Basic).
// Without them it prints why and skips; with TRANSHIP_REQUIRE_REGISTRY set
// it fails instead. Every method is a suspend function, called here from
// runBlocking.
//
// Usage: java -Djna.library.path=DIR -cp ... RegistryRoundTripKt

import dev.tranship.Descriptor
import dev.tranship.Login
import dev.tranship.Manifest
import dev.tranship.ProgressEvent
import dev.tranship.ProgressListener
import dev.tranship.Registry
import dev.tranship.RegistryOptions
import dev.tranship.TranshipException
import dev.tranship.parseManifest
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.io.File
import java.nio.file.Files
import java.security.MessageDigest
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random
import kotlin.system.exitProcess

private const val OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
private const val OCI_INDEX = "application/vnd.oci.image.index.v1+json"

private fun sha256(data: ByteArray): String =
    "sha256:" + MessageDigest.getInstance("SHA-256").digest(data).joinToString("") { "%02x".format(it) }

/** A repository name no other run or binding uses. */
private val run = "kotlin-${ProcessHandle.current().pid()}-${Random.nextInt(0, Int.MAX_VALUE).toString(16)}"
private var repositories = 0
private fun uniqueRepo(what: String) = "$run/$what-${repositories++}"

private val work: File = Files.createTempDirectory("tranship-kotlin-registry-").toFile()

/** Records the events of one transfer. */
private class Recorder : ProgressListener {
    val events = CopyOnWriteArrayList<ProgressEvent>()
    override fun onEvent(event: ProgressEvent) {
        events.add(event)
    }
}

/** Checks that the events of one transfer ran from its start to `finished`. */
private fun Recorder.checkTransfer(direction: String, digest: String, size: Int) {
    check(events.size >= 2) { "events: $events" }
    check(events.all { it.direction == direction && it.digest == digest }) { "events: $events" }
    check(events.first().phase == "started" && events.first().done == 0uL) { "first event: ${events.first()}" }
    val last = events.last()
    check(last.phase == "finished" && last.done == size.toULong()) { "last event: $last" }
    // An upload knows its size; a download of a blob by digest alone does not.
    check(last.total == if (direction == "upload") size.toULong() else null) { "last event: $last" }
    check(events.zipWithNext().all { (a, b) -> a.done <= b.done }) { "done went back: $events" }
}

private suspend fun expectCode(code: String, call: suspend () -> Unit) {
    try {
        call()
    } catch (e: TranshipException.Failed) {
        check(e.code == code) { "expected $code, got ${e.code}: ${e.detail}" }
        return
    }
    error("expected $code, the call succeeded")
}

/** A small OCI image: a config, layers of random bytes, the manifest built as JSON text. */
private class Image(val config: ByteArray, val layers: List<ByteArray>, val manifest: Manifest)

private fun descriptorJson(mediaType: String, data: ByteArray) =
    """{"mediaType":"$mediaType","digest":"${sha256(data)}","size":${data.size}}"""

private fun image(vararg layerSizes: Int, architecture: String = "amd64"): Image {
    val layers = layerSizes.map { Random.nextBytes(it) }
    val diffIds = layers.joinToString(",") { "\"${sha256(it)}\"" }
    val config = """{"architecture":"$architecture","os":"linux","rootfs":{"type":"layers","diff_ids":[$diffIds]}}"""
        .toByteArray()
    val layerList = layers.joinToString(",") { descriptorJson("application/vnd.oci.image.layer.v1.tar+gzip", it) }
    val manifest = """{"schemaVersion":2,"mediaType":"$OCI_MANIFEST",""" +
        """"config":${descriptorJson("application/vnd.oci.image.config.v1+json", config)},"layers":[$layerList]}"""
    return Image(config, layers, parseManifest(manifest.toByteArray()))
}

/** Pushes an image's blobs and puts its manifest under `reference`; returns the digest. */
private suspend fun Registry.pushImage(reference: String, image: Image): String {
    for (blob in listOf(image.config) + image.layers) pushBlob(reference, blob)
    return putManifest(reference, image.manifest)
}

private suspend fun roundTrip(host: String) {
    val registry = Registry()
    val repo = uniqueRepo("app")
    val ref = "$host/$repo:v1"
    val img = image(1500, 70000)
    val (bytesLayer, fileLayer) = img.layers

    // Blobs: from bytes (digest given, and computed) and from a file.
    val uploads = Recorder()
    val pushedConfig = registry.pushBlob(ref, img.config, digest = sha256(img.config), progress = uploads)
    check(pushedConfig.digest == sha256(img.config) && pushedConfig.size == img.config.size.toULong())
    check(pushedConfig.outcome == "uploaded") { "$pushedConfig" }
    uploads.checkTransfer("upload", sha256(img.config), img.config.size)
    check(registry.pushBlob("docker://$ref", bytesLayer).digest == sha256(bytesLayer))
    val layerFile = File(work, "layer").apply { writeBytes(fileLayer) }
    val fileUploads = Recorder()
    val pushedFile = registry.pushBlobFile(ref, layerFile.path, progress = fileUploads)
    check(pushedFile.digest == sha256(fileLayer) && pushedFile.outcome == "uploaded") { "$pushedFile" }
    fileUploads.checkTransfer("upload", sha256(fileLayer), fileLayer.size)

    // The manifest, by tag and by digest.
    val digest = registry.putManifest(ref, img.manifest)
    check(digest == img.manifest.digest())
    for (wanted in listOf(ref, "$host/$repo@$digest")) {
        val fetched = registry.getManifest(wanted)
        check(fetched.manifest.raw().contentEquals(img.manifest.raw())) { "bytes differ for $wanted" }
        check(fetched.digest == digest && fetched.contentType == OCI_MANIFEST && fetched.reference == wanted)
        check(fetched.indexDigest == null && fetched.platform == null)
    }
    check(registry.getManifest(ref, accept = listOf(OCI_MANIFEST)).digest == digest)
    val head = registry.headManifest(ref)
    check(head.digest == digest && head.mediaType == OCI_MANIFEST && head.size == img.manifest.raw().size.toULong()) { "$head" }
    check(registry.manifestDigest(ref) == digest)
    check(registry.tags(ref) == listOf("v1"))
    check(repo in registry.catalog("http://$host/v2/")) { "catalog misses $repo" }

    // Blobs back, in memory and to a file.
    check(registry.blobExists(ref, sha256(fileLayer)) == fileLayer.size.toULong())
    check(registry.blobExists(ref, sha256("not pushed".toByteArray())) == null)
    check(registry.getBlob(ref, sha256(bytesLayer)).contentEquals(bytesLayer))
    val downloads = Recorder()
    val target = File(work, "pulled")
    registry.getBlobToFile(ref, sha256(fileLayer), target.path, progress = downloads)
    check(target.readBytes().contentEquals(fileLayer))
    downloads.checkTransfer("download", sha256(fileLayer), fileLayer.size)

    // Pushing again finds the blob; another repository mounts it.
    val again = Recorder()
    check(registry.pushBlob(ref, bytesLayer, progress = again).outcome == "existed")
    check(again.events.map { it.phase } == listOf("exists")) { "${again.events}" }
    val mounted = registry.pushBlobFile("$host/${uniqueRepo("mounted")}:v1", layerFile.path, mountFrom = listOf(ref))
    check(mounted.outcome == "mounted" && mounted.size == fileLayer.size.toULong()) { "$mounted" }

    // Missing things fail with the core's codes.
    expectCode("BLOB_UNKNOWN") { registry.getBlob(ref, sha256("missing".toByteArray())) }
    val never = File(work, "never")
    expectCode("BLOB_UNKNOWN") { registry.getBlobToFile(ref, sha256("missing".toByteArray()), never.path) }
    check(!never.exists()) { "a failed download left ${never.path}" }
    expectCode("MANIFEST_UNKNOWN") { registry.getManifest("$host/$repo:nope") }
    expectCode("INVALID_REFERENCE") { registry.getManifest("Not A Reference") }
    expectCode("INVALID_DIGEST") { registry.blobExists(ref, "sha256:nothex") }

    // Deleted, the manifest is gone.
    check(registry.deleteManifest(ref) == digest)
    expectCode("MANIFEST_UNKNOWN") { registry.getManifest("$host/$repo@$digest") }
}

private suspend fun platformFromIndex(host: String) {
    val registry = Registry()
    val repo = "$host/${uniqueRepo("multi")}"
    val children = listOf(image(300, architecture = "amd64"), image(400, architecture = "arm64"))
    val digests = children.map { img ->
        for (blob in listOf(img.config) + img.layers) registry.pushBlob(repo, blob)
        registry.putManifest("$repo@${img.manifest.digest()}", img.manifest)
    }
    val entries = children.indices.joinToString(",") { i ->
        """{"mediaType":"$OCI_MANIFEST","digest":"${digests[i]}","size":${children[i].manifest.raw().size},""" +
            """"platform":{"architecture":"${listOf("amd64", "arm64")[i]}","os":"linux"}}"""
    }
    val index = parseManifest("""{"schemaVersion":2,"mediaType":"$OCI_INDEX","manifests":[$entries]}""".toByteArray())
    val indexDigest = registry.putManifest("$repo:multi", index)

    val whole = registry.getManifest("$repo:multi")
    check(whole.digest == indexDigest && whole.manifest.report().format == "oci-index")
    val arm = registry.getManifest("$repo:multi", platform = "linux/arm64")
    check(arm.digest == digests[1] && arm.manifest.raw().contentEquals(children[1].manifest.raw()))
    check(arm.indexDigest == indexDigest && arm.platform == "linux/arm64" && arm.reference == "$repo@${digests[1]}") { "$arm" }
    expectCode("PLATFORM_NOT_FOUND") { registry.getManifest("$repo:multi", platform = "linux/s390x") }
}

private suspend fun referrersByTag(host: String) {
    val registry = Registry()
    val repo = "$host/${uniqueRepo("referrers")}"
    val subjectDigest = registry.pushImage("$repo:v1", image(100))
    check(registry.referrers("$repo:v1", subjectDigest).isEmpty())

    // distribution 2.8 has no referrers API: the index tagged sha256-<hex> stands in.
    val sbom = image(50)
    val sbomDigest = registry.pushImage("$repo:sbom", sbom)
    val size = sbom.manifest.raw().size
    val index = """{"schemaVersion":2,"mediaType":"$OCI_INDEX","manifests":[{"mediaType":"$OCI_MANIFEST",""" +
        """"digest":"$sbomDigest","size":$size,"artifactType":"application/example.sbom",""" +
        """"annotations":{"org.example.kind":"sbom"}}]}"""
    registry.putManifest("$repo:${subjectDigest.replace(':', '-')}", parseManifest(index.toByteArray()))
    val expected = Descriptor(
        mediaType = OCI_MANIFEST,
        digest = sbomDigest,
        size = size.toULong(),
        artifactType = "application/example.sbom",
        annotations = mapOf("org.example.kind" to "sbom"),
    )
    check(registry.referrers("$repo:v1", subjectDigest) == listOf(expected))
    check(registry.referrers("$repo:v1", subjectDigest, artifactType = "application/other").isEmpty())
}

private suspend fun authRegistry(host: String, username: String, password: String) {
    val repo = "$host/${uniqueRepo("private")}"
    val img = image(200)

    // An empty authfile: nothing from this machine's credential files.
    val empty = File(work, "empty-auth.json").apply { writeText("""{"auths":{}}""") }
    val anonymous = Registry(RegistryOptions(authfile = empty.path))
    expectCode("UNAUTHORIZED") { anonymous.pushBlob("$repo:v1", img.config) }
    expectCode("UNAUTHORIZED") { anonymous.getManifest("$repo:v1") }

    val withCredentials = Registry(RegistryOptions(credentials = mapOf(host to Login(username, password))))
    val digest = withCredentials.pushImage("$repo:v1", img)
    check(withCredentials.getManifest("$repo:v1").digest == digest)

    val auth = Base64.getEncoder().encodeToString("$username:$password".toByteArray())
    val authfile = File(work, "config.json").apply { writeText("""{"auths":{"$host":{"auth":"$auth"}}}""") }
    val withAuthfile = Registry(RegistryOptions(authfile = authfile.path))
    check(withAuthfile.getManifest("$repo:v1").manifest.raw().contentEquals(img.manifest.raw()))
    check(withAuthfile.getBlob("$repo:v1", sha256(img.layers[0])).contentEquals(img.layers[0]))
    check(withAuthfile.tags("$repo:v1") == listOf("v1"))
}

private suspend fun concurrentCalls(host: String) = coroutineScope {
    val registry = Registry(RegistryOptions(maxConcurrentRequests = 4u))
    val images = (0 until 4).map { image(1000 + it, 2000 + it) }
    val refs = images.map { "$host/${uniqueRepo("concurrent")}:v1" }
    val digests = images.indices.map { i -> async { registry.pushImage(refs[i], images[i]) } }.awaitAll()
    check(digests == images.map { it.manifest.digest() })
    val fetched = refs.map { async { registry.getManifest(it).digest } }.awaitAll()
    check(fetched == digests)
}

/** A listener that throws on every event it is given. */
private class Thrower : ProgressListener {
    val calls = AtomicInteger()
    override fun onEvent(event: ProgressEvent) {
        calls.incrementAndGet()
        throw IllegalStateException("this listener always fails")
    }
}

private suspend fun cancellationAndFailingListener(host: String) = coroutineScope {
    val registry = Registry(RegistryOptions())
    val repo = "$host/${uniqueRepo("cancel")}"
    // Cancelled while its 64 MiB upload runs: the coroutine ends at once.
    val upload = async { registry.pushBlob(repo, Random(11).nextBytes(64 shl 20)) }
    delay(20)
    upload.cancel()
    check(runCatching { upload.await() }.exceptionOrNull() is CancellationException)
    // A listener that throws neither fails the transfer nor is called again.
    val data = Random(12).nextBytes(1000)
    val thrower = Thrower()
    val pushed = registry.pushBlob(repo, data, progress = thrower)
    check(pushed.digest == sha256(data)) { "pushed: $pushed" }
    check(thrower.calls.get() == 1) { "calls: ${thrower.calls.get()}" }
    // The client still works.
    check(registry.getBlob(repo, pushed.digest).contentEquals(data))
}

fun main() = runBlocking {
    val names = listOf(
        "TRANSHIP_TEST_REGISTRY",
        "TRANSHIP_TEST_AUTH_REGISTRY",
        "TRANSHIP_TEST_AUTH_USER",
        "TRANSHIP_TEST_AUTH_PASSWORD",
    )
    val missing = names.filter { System.getenv(it).isNullOrEmpty() }
    if (missing.isNotEmpty()) {
        val reason = "${missing.joinToString(", ")} not set (scripts/test-bindings starts the registries)"
        if (System.getenv("TRANSHIP_REQUIRE_REGISTRY") != null) {
            System.err.println("registries are required but $reason")
            exitProcess(1)
        }
        println("skipped: the Kotlin registry round trips: $reason")
        return@runBlocking
    }
    val (host, authHost, user, password) = names.map { System.getenv(it) }
    val checks = listOf<Pair<String, suspend () -> Unit>>(
        "push, put, get, head, tags, catalog and blobs round trip" to { roundTrip(host) },
        "an index of two platforms: getManifest chooses the child" to { platformFromIndex(host) },
        "referrers through the tag schema" to { referrersByTag(host) },
        "the auth registry: anonymous, credentials, authfile" to { authRegistry(authHost, user, password) },
        "calls run concurrently" to { concurrentCalls(host) },
        "a cancelled call and a throwing listener" to { cancellationAndFailingListener(host) },
    )
    var failed = 0
    for ((name, body) in checks) {
        try {
            body()
            println("ok: $name")
        } catch (e: Throwable) {
            failed += 1
            println("FAILED: $name: $e")
            e.printStackTrace()
        }
    }
    work.deleteRecursively()
    println("registry round trips: ${checks.size - failed} passed, $failed failed")
    if (failed > 0) exitProcess(1)
}
