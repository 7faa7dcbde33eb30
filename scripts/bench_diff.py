#!/usr/bin/env python3
"""Benchmark `teikit diff` against `xmldiff --fast-match` (pip install xmldiff) and `diff -u`.

Cases (from the diff issue): the memo with a few edits; the 2.2 MB FRUS history monograph with
a handful of edits; the same file made 2x and 4x larger (its body repeated). Median wall time (5 runs of teikit and diff, 3 of xmldiff)
and peak memory of each tool on the same pair of files, in one run; a Markdown table. teikit's
memory is given against both revisions together (what a diff reads) and against one.

    python3 scripts/bench_diff.py
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import measure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.environ.get("TEIKIT_REFERENCE", os.path.join(ROOT, "..", "shared", "reference"))


def edit(text):
    """A handful of edits: words changed, an attribute changed, a paragraph inserted."""
    text = text.replace(" the ", " THE ", 3)
    text = re.sub(r'when="(\d{4})', lambda m: f'when="{int(m.group(1)) + 1}', text, count=1)
    first_p = text.find("<p>")
    return text[:first_p] + "<p>An inserted paragraph.</p>" + text[first_p:]


def enlarge(text, times):
    start = text.find("<body>") + len("<body>")
    end = text.find("</body>")
    body = re.sub(r'xml:id="([^"]+)"', r'xml:id="\1_COPY"', text[start:end])
    copies = "".join(body.replace("_COPY", f"_c{i}") for i in range(times - 1))
    return text[:end] + copies + text[end:]


def main():
    history = os.path.join(REFERENCE, "corpus", "valid-or-invalid", "frus-history.xml")
    if not os.path.isfile(history):
        sys.exit(f"no reference data at {REFERENCE}")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    teikit = os.path.join(ROOT, "target", "release", "teikit")
    work = tempfile.mkdtemp(prefix="teikit-bench-diff-")
    cases = []
    memo = open(os.path.join(ROOT, "tei", "frus1969-76v10", "d59.xml"), encoding="utf-8").read()
    big = open(history, encoding="utf-8").read()
    for name, text in [("memo d59 (15 kB)", memo), ("frus-history (2.2 MB)", big), ("frus-history x2", enlarge(big, 2)), ("frus-history x4", enlarge(big, 4))]:
        a, b = os.path.join(work, f"{len(cases)}a.xml"), os.path.join(work, f"{len(cases)}b.xml")
        open(a, "w", encoding="utf-8").write(text)
        open(b, "w", encoding="utf-8").write(edit(text))
        cases.append((name, a, b, os.path.getsize(a)))
    tools = [("teikit diff", lambda a, b: [teikit, "diff", "--stat", a, b], 5), ("diff -u", lambda a, b: ["diff", "-u", a, b], 5)]
    if shutil.which("xmldiff"):
        tools.append(("xmldiff --fast-match", lambda a, b: ["xmldiff", "--fast-match", a, b], 3))
    print(f"| case | {' | '.join(t[0] for t in tools)} | xmldiff ÷ teikit | teikit memory ÷ both inputs (÷ one) |")
    print(f"|---|{'---|' * len(tools)}---|---|")
    for name, a, b, size in cases:
        times, memory, cells = {}, {}, []
        for tool, command, runs in tools:
            seconds, rss = measure(command(a, b), runs)
            times[tool], memory[tool] = seconds, rss
            cells.append(f"{seconds:.3f} s, {rss:.0f} MB")
        ratio = f"{times['xmldiff --fast-match'] / times['teikit diff']:.0f}×" if "xmldiff --fast-match" in times else "–"
        rss = memory["teikit diff"] * 1024 * 1024
        both = size + os.path.getsize(b)
        print(f"| {name} | {' | '.join(cells)} | {ratio} | {rss / both:.1f}× ({rss / size:.1f}×) |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
