#!/usr/bin/env python3
"""Benchmark the report formats of `teikit validate` on a file with thousands of problems.

The case of the validation issue: the 2.2 MB FRUS history monograph against the bundled
documentary subset (about 2,500 problems). Median wall time of 7 runs of each format, in one
run, and each format's time as a ratio to the JSON report's.

    python3 scripts/bench_report.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import measure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.environ.get("TEIKIT_REFERENCE", os.path.join(ROOT, "..", "shared", "reference"))
TEIKIT = os.path.join(ROOT, "target", "release", "teikit")


def main():
    document = os.path.join(REFERENCE, "corpus", "valid-or-invalid", "frus-history.xml")
    os.environ["TEIKIT_CACHE_DIR"] = "off"
    os.environ["NO_COLOR"] = "1"
    times = {}
    for fmt in ["json", "human", "github", "sarif"]:
        times[fmt], _ = measure([TEIKIT, "validate", "--no-config", "--format", fmt, document], 7)
    print("| format | time | ÷ JSON |")
    print("|---|---|---|")
    for fmt, seconds in times.items():
        print(f"| {fmt} | {seconds:.3f} s | {seconds / times['json']:.2f}× |")


if __name__ == "__main__":
    main()
