#!/usr/bin/env python3
"""Benchmark teikit's Schematron against SchXslt 2.0 on SaxonC-HE, in one run, whole process.

Each tool compiles the schema and runs it on the document, from a fresh process, as CI runs
it: teikit is `teikit validate --schematron SCH --disable schema` with its other rules off;
the oracle is scripts/schematron_oracle.py (Python, SaxonC, SchXslt's pipeline, the compiled
stylesheet, the run). Cases: tei_all's embedded Schematron (extracted as TEI extracts it) on
the 673-byte base.xml and the 2.2 MB frus-history.xml, and FRUS's five Schematron files
(prepared to run offline by scripts/prepare_frus_schematron.py) on frus-history.xml.

    python3 scripts/bench_schematron.py     # needs saxonche and lxml (pip install saxonche lxml)

Prints a Markdown table for the README: median wall time and peak memory, and the ratio.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import measure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.environ.get("TEIKIT_REFERENCE", os.path.join(ROOT, "..", "shared", "reference"))
CORPUS = os.path.join(REFERENCE, "corpus", "valid-or-invalid")


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    teikit = os.path.join(ROOT, "target", "release", "teikit")
    rules = subprocess.run([teikit, "rules"], capture_output=True, text=True, check=True).stdout
    others = [line.split()[0] for line in rules.splitlines() if line.split() and line.split()[0] not in ("schematron", "well-formed")]
    work = tempfile.mkdtemp(prefix="teikit-bench-sch-")
    tei_all = os.path.join(work, "tei_all.sch")
    subprocess.run([sys.executable, os.path.join(REFERENCE, "schematron", "extract_rng_schematron.py"),
                    os.path.join(REFERENCE, "tei", "tei_all.rng"), tei_all], check=True, capture_output=True)
    monograph = os.path.join(CORPUS, "frus-history.xml")
    cases = [
        ("tei_all, base.xml (673 B)", tei_all, os.path.join(CORPUS, "base.xml")),
        ("tei_all, frus-history.xml (2.2 MB)", tei_all, monograph),
    ]
    frus = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "prepare_frus_schematron.py"),
                           os.path.join(work, "frus"), monograph], capture_output=True, text=True, check=True)
    for sch in frus.stdout.split():
        cases.append((f"FRUS {os.path.basename(sch)}, frus-history.xml", sch, monograph))
    print("| case | teikit | SchXslt + SaxonC | SaxonC ÷ teikit |")
    print("|---|---|---|---|")
    for name, sch, document in cases:
        disable = [arg for rule in others for arg in ("--disable", rule)]
        ours, our_memory = measure([teikit, "validate", "--no-config", "--schematron", sch, *disable, document], 10)
        theirs, their_memory = measure([sys.executable, os.path.join(ROOT, "scripts", "schematron_oracle.py"), sch, document], 3)
        print(f"| {name} | {ours:.3f} s, {our_memory:.0f} MB | {theirs:.3f} s, {their_memory:.0f} MB | {theirs / ours:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
