#!/usr/bin/env python3
"""Writes the `compress` and `decompress` cases and their data.

Run from anywhere: python3 tests/corpus/compress/make_cases.py TRANSHIP

The content's diff_id and size are computed here, with Python's hashlib.
The compressed blobs' digests and sizes are what TRANSHIP (a `tranship`
binary) writes today: they pin the bytes, since the same input, format and
level must give the same blob on every machine, in every binding and for
any thread count. Before a digest is recorded, the blob is decoded with
Python's own gzip or the `zstd` tool and checked against the content, and
the blobs of one format and level written with one thread and with four
are checked to be identical. A change of encoder changes these digests:
that is a breaking change for every image built with it.
"""

import gzip
import hashlib
import json
import lzma
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
DECOMPRESS = CORPUS / "decompress"
LAYERS = CORPUS / "diff_id" / "data"


def big_content() -> bytes:
    """3 MiB and a bit (more than three 1 MiB blocks) of text that
    compresses, the same on every run."""
    lines = []
    size = 0
    n = 0
    while size < 3 * 1024 * 1024 + 12345:
        line = f"{n:07d} usr/lib/x86_64-linux-gnu/lib{n % 97:02d}.so.{n % 7} mode 0644 size {n * 7919 % 100003}\n"
        lines.append(line)
        size += len(line)
        n += 1
    return "".join(lines).encode()[: 3 * 1024 * 1024 + 12345]


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def decode(blob: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.decompress(blob)
    return subprocess.run(["zstd", "-dc"], input=blob, capture_output=True, check=True).stdout


def compress(tranship: str, source: Path, fmt: str | None, level: int | None, threads: int) -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        cmd = [tranship, "layer", "compress", str(source), "-o", str(out), f"--threads={threads}"]
        if fmt:
            cmd.append(f"--format={fmt}")
        if level is not None:
            cmd.append(f"--level={level}")
        subprocess.run(cmd, check=True, capture_output=True)
        return out.read_bytes()


def write(folder: Path, name: str, case: dict) -> None:
    (folder / f"{name}.json").write_text(json.dumps(case, indent=2) + "\n")


def main() -> None:
    tranship = sys.argv[1]
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    big = big_content()
    (data / "big.xz").write_bytes(lzma.compress(big, preset=9))
    (data / "empty").write_bytes(b"")
    contents = {
        "data/big.xz": big,
        "data/empty": b"",
        "../diff_id/data/layer.tar": (LAYERS / "layer.tar").read_bytes(),
        "../diff_id/data/layer.tar.gz": (LAYERS / "layer.tar").read_bytes(),
    }
    good = [
        ("gzip-default-small", "../diff_id/data/layer.tar", None, None, "a small plain tar in gzip at the default level (1, ISA-L)"),
        ("gzip-default-empty", "data/empty", None, None, "empty input still makes one valid gzip member"),
        ("gzip-1-big", "data/big.xz", "gzip", 1, "3 MiB (four 1 MiB blocks) decoded from xz, gzip level 1"),
        ("gzip-2-big", "data/big.xz", "gzip", 2, "gzip level 2 (ISA-L)"),
        ("gzip-3-big", "data/big.xz", "gzip", 3, "gzip level 3 (zlib-rs)"),
        ("gzip-6-big", "data/big.xz", "gzip", 6, "gzip level 6 (zlib's level, through zlib-rs)"),
        ("gzip-9-big", "data/big.xz", "gzip", 9, "gzip level 9 (zlib's level, through zlib-rs)"),
        ("zstd-1-big", "data/big.xz", "zstd", 1, "zstd level 1, multi-threaded mode"),
        ("zstd-default-big", "data/big.xz", "zstd", None, "zstd at its default level, 3"),
        ("zstd-19-big", "data/big.xz", "zstd", 19, "zstd level 19"),
        ("zstd-from-gzip", "../diff_id/data/layer.tar.gz", "zstd", None, "a gzip layer recompressed to zstd keeps its diff_id"),
    ]
    for name, source, fmt, level, about in good:
        content = contents[source]
        one = compress(tranship, HERE / source, fmt, level, 1)
        four = compress(tranship, HERE / source, fmt, level, 4)
        assert one == four, f"{name}: the thread count changed the bytes"
        compression = fmt or "gzip"
        assert decode(one, compression) == content, f"{name}: the blob does not decode to the content"
        expect = {
            "diff_id": digest(content),
            "digest": digest(one),
            "compression": compression,
            "size": len(one),
            "uncompressed_size": len(content),
        }
        inp: dict = {"file": source}
        if fmt:
            inp["format"] = fmt
        if level is not None:
            inp["level"] = level
        write(HERE, name, {"op": "compress", "about": about + " (content digest by Python; blob digest pinned, checked to decode with Python or the zstd tool and to be the same on 1 and 4 threads)", "input": inp, "expect": expect})
        if name in ("gzip-1-big", "zstd-default-big"):
            threaded = dict(inp, threads=1)
            write(HERE, name + "-one-thread", {"op": "compress", "about": "one thread writes the very bytes all cores write", "input": threaded, "expect": expect})
    bad = [
        ("unknown-format", {"file": "data/empty", "format": "brotli"}, "INVALID_CONFIG", "an unknown format is refused"),
        ("gzip-level-0", {"file": "data/empty", "format": "gzip", "level": 0}, "INVALID_CONFIG", "gzip levels start at 1"),
        ("zstd-level-20", {"file": "data/empty", "format": "zstd", "level": 20}, "INVALID_CONFIG", "zstd levels stop at 19"),
        ("zero-threads", {"file": "data/empty", "threads": 0}, "INVALID_CONFIG", "at least one thread"),
        ("truncated-input", {"file": "../diff_id/data/truncated.tar.gz"}, "INVALID_LAYER", "a truncated compressed input is refused, and nothing is written"),
        ("absent-input", {"file": "data/absent"}, "IO", "a missing file fails with IO"),
    ]
    for name, inp, code, about in bad:
        write(HERE, name, {"op": "compress", "about": about, "input": inp, "error": code})

    DECOMPRESS.mkdir(exist_ok=True)
    plain = (LAYERS / "layer.tar").read_bytes()
    for name, source, compression in [
        ("gzip", "layer.tar.gz", "gzip"),
        ("two-members", "two-members.tar.gz", "gzip"),
        ("zstd", "layer.tar.zst", "zstd"),
        ("bzip2", "layer.tar.bz2", "bzip2"),
        ("xz", "layer.tar.xz", "xz"),
        ("plain", "layer.tar", "none"),
    ]:
        blob = (LAYERS / source).read_bytes()
        write(DECOMPRESS, name, {
            "op": "decompress",
            "about": f"a {compression} blob decompressed to its tar (digests by Python)",
            "input": {"file": f"../diff_id/data/{source}"},
            "expect": {
                "diff_id": digest(plain),
                "digest": digest(blob),
                "compression": compression,
                "size": len(blob),
                "uncompressed_size": len(plain),
            },
        })
    write(DECOMPRESS, "truncated", {"op": "decompress", "about": "a truncated blob is refused, and nothing is written", "input": {"file": "../diff_id/data/truncated.tar.gz"}, "error": "INVALID_LAYER"})


if __name__ == "__main__":
    main()
