#!/usr/bin/env python3
"""Benchmark `teikit validate` against jing and `xmllint --relaxng`, in one run, on tei_all.

Cases (from the issue): the 673-byte corpus/valid-or-invalid/base.xml, the 2.2 MB
frus-history.xml, and all 17 corpus documents as one batch. Each tool runs the same command
line; we report the median wall time, the peak resident memory, and ratios to teikit.

    python3 scripts/bench_validate.py            # needs jing and xmllint on the PATH
    TEIKIT_REFERENCE=/path/to/reference python3 scripts/bench_validate.py

teikit runs twice: as users run it (compiled schema cached in a private temporary cache
directory, warmed by one run first) and with --no-cache (compiling tei_all every time).
It prints a Markdown table for the README.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import measure, run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.environ.get("TEIKIT_REFERENCE", os.path.join(ROOT, "..", "shared", "reference"))
SCHEMA = os.path.join(REFERENCE, "tei", "tei_all.rng")
CORPUS = os.path.join(REFERENCE, "corpus", "valid-or-invalid")


def main():
    if not os.path.isfile(SCHEMA):
        sys.exit(f"no reference data at {REFERENCE}")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    teikit = os.path.join(ROOT, "target", "release", "teikit")
    batch = sorted(glob.glob(os.path.join(CORPUS, "*.xml")))
    cases = [
        ("base.xml (673 B)", [os.path.join(CORPUS, "base.xml")]),
        ("frus-history.xml (2.2 MB)", [os.path.join(CORPUS, "frus-history.xml")]),
        (f"batch of {len(batch)} corpus files", batch),
    ]
    os.environ["TEIKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="teikit-bench-cache-")
    run([teikit, "validate", "--no-rules", "--schema", SCHEMA, os.path.join(CORPUS, "base.xml")])
    tools = [
        ("teikit", lambda files: [teikit, "validate", "--no-rules", "--schema", SCHEMA, *files], 10),
        ("teikit --no-cache", lambda files: [teikit, "validate", "--no-rules", "--no-cache", "--schema", SCHEMA, *files], 10),
    ]
    if shutil.which("jing"):
        tools.append(("jing", lambda files: ["jing", SCHEMA, *files], 3))
    if shutil.which("xmllint"):
        tools.append(("xmllint --relaxng", lambda files: ["xmllint", "--noout", "--relaxng", SCHEMA, *files], 1))
    print(f"| case | {' | '.join(t[0] for t in tools)} | jing ÷ teikit (cached / not) | teikit memory vs jing |")
    print(f"|---|{'---|' * len(tools)}---|---|")
    for name, files in cases:
        cells, times, memory = [], {}, {}
        for tool, command, runs in tools:
            seconds, rss = measure(command(files), runs)
            times[tool], memory[tool] = seconds, rss
            cells.append(f"{seconds:.3f} s, {rss:.0f} MB")
        ratio = (
            f"{times['jing'] / times['teikit']:.1f}× / {times['jing'] / times['teikit --no-cache']:.1f}×"
            if "jing" in times
            else "–"
        )
        mem = (
            f"{memory['teikit'] / memory['jing'] * 100:.0f} % / {memory['teikit --no-cache'] / memory['jing'] * 100:.0f} %"
            if "jing" in memory
            else "–"
        )
        print(f"| {name} | {' | '.join(cells)} | {ratio} | {mem} |")


if __name__ == "__main__":
    main()
