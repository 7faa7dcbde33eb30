#!/usr/bin/env python3
"""Benchmark `teikit build` on the FRUS development set: documents per second and peak memory.

Cases: the development set as it is (42 documents in 9 volumes: one build, start-up and the
bundled schema's compilation included), and the same set copied 20 times over (840 documents in
180 volume folders), where the conversion itself dominates. Every document is converted,
validated against the bundled schema and the rules, and written. Median wall time of 5 runs
(fresh output folder each time), peak memory by GNU time (the largest of the runs).

    python3 scripts/bench_build.py          # TEIKIT_FRUS_DEVSET overrides ../shared/frus-devset
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVSET = os.environ.get("TEIKIT_FRUS_DEVSET", os.path.join(ROOT, "..", "shared", "frus-devset"))
RUNS = 5


def copies(sources, times, work):
    """The development set's volume folders, `times` over, under one sources folder."""
    target = os.path.join(work, f"sources-x{times}")
    for i in range(times):
        for volume in sorted(os.listdir(sources)):
            src = os.path.join(sources, volume)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(target, f"{volume}-{i}"))
    return target


def main():
    sources = os.path.join(DEVSET, "sources")
    if not os.path.isdir(sources):
        sys.exit(f"no development set at {DEVSET}")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    teikit = os.path.join(ROOT, "target", "release", "teikit")
    work = tempfile.mkdtemp(prefix="teikit-bench-build-")
    print("| case | documents | time (median of 5) | documents/s | peak memory |")
    print("|---|---|---|---|---|")
    for label, folder in [("development set", sources), ("development set x20", copies(sources, 20, work))]:
        documents = len(glob.glob(os.path.join(folder, "*", "d*.txt")))
        results = []
        for i in range(RUNS):
            out = os.path.join(work, f"out-{label.replace(' ', '-')}-{i}")
            results.append(run([teikit, "build", "--sources", folder, "--out", out]))
        results.sort()
        seconds = results[len(results) // 2][0]
        memory = max(r[1] for r in results)
        print(f"| {label} | {documents} | {seconds:.3f} s | {documents / seconds:.0f} | {memory:.0f} MB |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
