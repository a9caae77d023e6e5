// Kotlin side of bench/binding_overhead.sh: the same calls as the Rust
// baseline, through the uniffi binding on the JVM. Prints
// `kotlin OP NS_PER_CALL`.

import dev.tranship.parseManifest
import dev.tranship.parseReference
import java.io.File

/** Median nanoseconds per call over 5 rounds of n calls, after a warm-up round. */
fun nsPerCall(n: Int, f: () -> Unit): Double {
    val rounds = mutableListOf<Double>()
    for (round in 0 until 6) {
        val start = System.nanoTime()
        repeat(n) { f() }
        if (round > 0) rounds.add((System.nanoTime() - start).toDouble() / n)
    }
    rounds.sort()
    return rounds[rounds.size / 2]
}

fun main(args: Array<String>) {
    val data = File(args[0]).readBytes()
    val results = parseManifest(data).use { manifest ->
        linkedMapOf(
            "parse_reference" to nsPerCall(200_000) { parseReference("alpine:3.19") },
            "parse_manifest" to nsPerCall(50_000) { parseManifest(data).close() },
            "report" to nsPerCall(50_000) { manifest.report() },
        )
    }
    for ((op, ns) in results) println("kotlin $op ${"%.0f".format(ns)}")
}
