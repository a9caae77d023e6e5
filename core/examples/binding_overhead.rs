//! The Rust baseline of `bench/binding_overhead.sh`: the same pure calls
//! the Python, Node and Kotlin benchmarks make through their bindings,
//! made directly on the core.
//!
//! Usage: `cargo run --release -p tranship --example binding_overhead -- MANIFEST`
//! prints one line per operation: `rust OP NS_PER_CALL`.

use std::hint::black_box;
use std::time::Instant;

use tranship::manifest::Manifest;
use tranship::{Limits, Reference};

/// Median nanoseconds per call of `f` over 5 rounds of `n` calls, after
/// one warm-up round.
fn ns_per_call(n: u32, mut f: impl FnMut()) -> f64 {
    let mut rounds = Vec::new();
    for round in 0..6 {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        if round > 0 {
            rounds.push(start.elapsed().as_nanos() as f64 / f64::from(n));
        }
    }
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: binding_overhead MANIFEST")?;
    let bytes = std::fs::read(path)?;
    let limits = Limits::default();
    let parse_reference = ns_per_call(200_000, || {
        black_box(black_box("alpine:3.19").parse::<Reference>().ok());
    });
    let parse_manifest = ns_per_call(50_000, || {
        black_box(Manifest::parse(black_box(&bytes), None, &limits).ok());
    });
    let manifest = Manifest::parse(&bytes, None, &limits)?;
    let report = ns_per_call(50_000, || {
        black_box(black_box(&manifest).report());
    });
    println!("rust parse_reference {parse_reference:.0}");
    println!("rust parse_manifest {parse_manifest:.0}");
    println!("rust report {report:.0}");
    Ok(())
}
