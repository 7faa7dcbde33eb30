#!/usr/bin/env python3
"""The reading edition of the whole development set, with each Saxon available: `teikit build
--html` (one processor run and one stylesheet compilation for every page and every volume's
index page) against one processor run per page, as builds rendered before, in the same run; then
a one-document edit.

    python3 scripts/bench_publish.py [--teikit target/release/teikit] [--jar /usr/share/java/Saxon-HE.jar]

The development set is read from ../shared/frus-devset (or TEIKIT_FRUS_DEVSET) and copied to a
temporary folder. Processors: Saxon-HE's jar with the `java` on the PATH (Debian:
libsaxonhe-java), and SaxonC-HE in this Python (pip install saxonche); a missing one is skipped
with a line saying so."""
import argparse, os, shutil, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
devset = os.environ.get("TEIKIT_FRUS_DEVSET", os.path.join(root, "..", "shared", "frus-devset"))

# One page with SaxonC, as teikit ran it per page before: start, compile, transform.
SAXONC_ONE_PAGE = """
import sys
from saxonche import PySaxonProcessor
with PySaxonProcessor(license=False) as proc:
    exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=sys.argv[1])
    exe.transform_to_file(source_file=sys.argv[2], output_file=sys.argv[3])
"""


def processors(jar):
    found = []
    if os.path.isfile(jar) and shutil.which("java"):
        found.append((f"Saxon-HE ({os.path.basename(jar)})", jar,
                      lambda sheet, tei, out: ["java", "-jar", jar, f"-s:{tei}", f"-xsl:{sheet}", f"-o:{out}"]))
    else:
        print(f"skipping Saxon-HE: no {jar} or no java")
    if subprocess.run([sys.executable, "-c", "import saxonche"], capture_output=True).returncode == 0:
        found.append(("SaxonC-HE (saxonche)", "saxonc",
                      lambda sheet, tei, out: [sys.executable, "-c", SAXONC_ONE_PAGE, sheet, tei, out]))
    else:
        print("skipping SaxonC-HE: pip install saxonche")
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teikit", default=os.path.join(root, "target", "release", "teikit"))
    parser.add_argument("--jar", default="/usr/share/java/Saxon-HE.jar")
    args = parser.parse_args()
    sheet = os.path.join(root, "xslt", "tei-to-html.xsl")
    for label, named, per_page_command in processors(args.jar):
        with tempfile.TemporaryDirectory() as scratch:
            shutil.copytree(os.path.join(devset, "sources"), os.path.join(scratch, "sources"))
            # teikit finds this Python itself, not a version manager's shim before it.
            path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
            env = dict(os.environ, TEIKIT_SAXON=named, PATH=path)
            run = lambda *a: subprocess.run([args.teikit, *a], cwd=scratch, env=env, capture_output=True, text=True)
            run("build")  # the TEI first, so that both sides render the same files
            teis = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(scratch, "tei")) for f in fs if f.endswith(".xml"))
            start = time.perf_counter()
            for tei in teis:
                subprocess.run(per_page_command(sheet, tei, tei[:-4] + ".alone.html"), check=True, capture_output=True)
            per_page = time.perf_counter() - start
            shutil.copytree(os.path.join(root, "xslt"), os.path.join(scratch, "xslt"))
            # Best of three, every page rendered each time (the pages removed before).
            one_run = float("inf")
            for _ in range(3):
                for d, _, fs in os.walk(os.path.join(scratch, "tei")):
                    for f in fs:
                        if f.endswith(".html"):
                            os.remove(os.path.join(d, f))
                start = time.perf_counter()
                done = run("build", "--html")
                one_run = min(one_run, time.perf_counter() - start)
                assert "reading page(s) written" in done.stderr, done.stderr
            text_file = os.path.join(scratch, "sources", "frus1882", "d232.txt")
            text = open(text_file, encoding="utf-8").read()
            open(text_file, "w", encoding="utf-8").write(text.replace(" the ", " THE ", 1))
            start = time.perf_counter()
            edit = run("build", "--html")
            after_edit = time.perf_counter() - start
            written = [l[len("wrote "):] for l in edit.stderr.splitlines() if l.startswith("wrote ") and l.endswith(".html")]
            print(f"{len(teis)} documents, {label}")
            print(f"  one processor run per page:      {per_page:.2f} s (documents only)")
            print(f"  teikit build --html (best of 3): {one_run:.2f} s, conversion and volume index pages included  ×{per_page / one_run:.1f}")
            print(f"  after a one-document edit:       {after_edit:.2f} s, rendered: {', '.join(written)}")


if __name__ == "__main__":
    main()
