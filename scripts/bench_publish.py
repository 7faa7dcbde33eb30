#!/usr/bin/env python3
"""The reading edition of the whole development set: `teikit build --html` (one Saxon run and one
stylesheet compilation for all pages) against one Saxon run per page, as builds rendered before,
in the same run; then a one-document edit.

    python3 scripts/bench_publish.py [--teikit target/release/teikit] [--jar /usr/share/java/Saxon-HE.jar]

The development set is read from ../shared/frus-devset (or TEIKIT_FRUS_DEVSET) and copied to a
temporary folder. Saxon-HE's jar with the `java` on the PATH (Debian: libsaxonhe-java)."""
import argparse, os, shutil, subprocess, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
devset = os.environ.get("TEIKIT_FRUS_DEVSET", os.path.join(root, "..", "shared", "frus-devset"))

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teikit", default=os.path.join(root, "target", "release", "teikit"))
    parser.add_argument("--jar", default="/usr/share/java/Saxon-HE.jar")
    args = parser.parse_args()
    sheet = os.path.join(root, "xslt", "tei-to-html.xsl")
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(os.path.join(devset, "sources"), os.path.join(scratch, "sources"))
        env = dict(os.environ, TEIKIT_SAXON=args.jar)
        run = lambda *a: subprocess.run([args.teikit, *a], cwd=scratch, env=env, capture_output=True, text=True)
        run("build")  # the TEI first, so that both sides render the same files
        teis = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(scratch, "tei")) for f in fs if f.endswith(".xml"))
        start = time.perf_counter()
        for tei in teis:
            subprocess.run(["java", "-jar", args.jar, f"-s:{tei}", f"-xsl:{sheet}", f"-o:{tei[:-4]}.alone.html"], check=True, capture_output=True)
        per_page = time.perf_counter() - start
        shutil.copytree(os.path.join(root, "xslt"), os.path.join(scratch, "xslt"))
        start = time.perf_counter()
        done = run("build", "--html")
        one_run = time.perf_counter() - start
        assert "reading page(s) written" in done.stderr, done.stderr
        text_file = os.path.join(scratch, "sources", "frus1882", "d231.txt")
        text = open(text_file, encoding="utf-8").read()
        open(text_file, "w", encoding="utf-8").write(text.replace(" the ", " THE ", 1))
        start = time.perf_counter()
        edit = run("build", "--html")
        after_edit = time.perf_counter() - start
        print(f"{len(teis)} documents, Saxon-HE ({os.path.basename(args.jar)})")
        print(f"one Saxon run per page:        {per_page:.2f} s")
        print(f"teikit build --html (one run): {one_run:.2f} s (conversion included)  ×{per_page / one_run:.1f}")
        print(f"after a one-document edit:     {after_edit:.2f} s, {edit.stderr.strip().splitlines()[-1]}")

if __name__ == "__main__":
    main()
