"""Python side of bench/binding_overhead.sh: the same calls as the Rust
baseline, through the `tranship` package. Prints `python OP NS_PER_CALL`."""

import sys
import time

import tranship


def ns_per_call(n: int, f) -> float:
    """Median nanoseconds per call over 5 rounds of n calls, after a warm-up round."""
    rounds = []
    for round_ in range(6):
        start = time.perf_counter_ns()
        for _ in range(n):
            f()
        if round_ > 0:
            rounds.append((time.perf_counter_ns() - start) / n)
    return sorted(rounds)[len(rounds) // 2]


data = open(sys.argv[1], "rb").read()
manifest = tranship.parse_manifest(data)
results = {
    "parse_reference": ns_per_call(200_000, lambda: tranship.parse_reference("alpine:3.19")),
    "parse_manifest": ns_per_call(50_000, lambda: tranship.parse_manifest(data)),
    "report": ns_per_call(50_000, manifest.report),
}
for op, ns in results.items():
    print(f"python {op} {ns:.0f}")
