#!/usr/bin/env python3
"""What reading each document's declared schema costs: 1,000 documents that declare one schema
(`xml-model`, a relative href), validated with the declaration read per document against the
same run with `--schema` naming that schema. The issue's target: within 5 %.

    python3 scripts/bench_declared.py [--teikit target/release/teikit] [--runs 7]

The documents are copies of a small corpus document (reference data, read from
../shared/reference or TEIKIT_REFERENCE), written to a temporary folder with tei_all beside
them; the compiled-schema cache is warm for both (as after a project's first run)."""
import argparse, os, shutil, statistics, subprocess, tempfile, time, re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
reference = os.environ.get("TEIKIT_REFERENCE", os.path.join(root, "..", "shared", "reference"))

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teikit", default=os.path.join(root, "target", "release", "teikit"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--base", default="dojung_persons_with_notes.xml",
                        help="the corpus document copied (valid-or-invalid/NAME)")
    args = parser.parse_args()
    base = open(os.path.join(reference, "corpus/valid-or-invalid", args.base), encoding="utf-8").read()
    base = re.sub(r"<\?xml-model[^>]*\?>\s*", "", base)
    declaration = '<?xml-model href="../tei_all.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    body = base.split("?>", 1)[1] if base.startswith("<?xml") else base
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy(os.path.join(reference, "tei/tei_all.rng"), os.path.join(scratch, "tei_all.rng"))
        docs = os.path.join(scratch, "docs")
        os.mkdir(docs)
        for n in range(args.documents):
            with open(os.path.join(docs, f"d{n:04}.xml"), "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + declaration + body)
        env = dict(os.environ, TEIKIT_CACHE_DIR=os.path.join(scratch, "cache"))
        cases = {
            "declared (xml-model)": [args.teikit, "validate", "--no-config", "--offline", docs],
            "--schema": [args.teikit, "validate", "--no-config", "--schema", os.path.join(scratch, "tei_all.rng"), docs],
        }
        for command in cases.values():  # warm the compiled-schema cache and the page cache
            subprocess.run(command, env=env, capture_output=True)
        times = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, command in cases.items():
                start = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                times[name].append(time.perf_counter() - start)
                if "validated" not in done.stderr:
                    raise SystemExit(f"{name}: {done.stderr}")
        medians = {name: statistics.median(t) for name, t in times.items()}
        for name, median in medians.items():
            print(f"{name:22} median {median:.3f} s over {args.runs} runs ({args.documents} copies of {args.base}, {len(body) // 1024} KiB)")
        ratio = medians["declared (xml-model)"] / medians["--schema"]
        print(f"declared / --schema: {ratio:.3f}")

if __name__ == "__main__":
    main()
