// Runs every case of the shared corpus (tests/corpus/<op>/<case>.json)
// through the Kotlin binding and prints the tally, `N passed, M failed`.
// Each operation has one function below returning the value (maps, lists,
// strings, numbers, booleans, null) the case's `expect` is compared with.
//
// Usage: java -Djna.library.path=DIR -cp ... CorpusRunnerKt tests/corpus

import dev.tranship.TranshipException
import dev.tranship.parseDigest
import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.math.BigDecimal
import kotlin.system.exitProcess

/** One corpus operation: the case's `input` and its folder in, a value out. */
typealias Op = (input: JSONObject, dir: File) -> Any?

val ops: Map<String, Op> = mapOf(
    "digest_parse" to { input, _ ->
        val d = parseDigest(input.getString("digest"))
        mapOf("algorithm" to d.algorithm, "hex" to d.hex)
    },
)

/** Makes JSON values and Kotlin results comparable with `==`. */
fun normalize(value: Any?): Any? = when (value) {
    null, JSONObject.NULL -> null
    is JSONObject -> value.keySet().associateWith { normalize(value.get(it)) }
    is JSONArray -> (0 until value.length()).map { normalize(value.get(it)) }
    is Map<*, *> -> value.entries.associate { it.key.toString() to normalize(it.value) }
    is List<*> -> value.map { normalize(it) }
    is UInt -> BigDecimal(value.toString())
    is ULong -> BigDecimal(value.toString())
    is Number -> BigDecimal(value.toString()).stripTrailingZeros()
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
