#!/usr/bin/env python3
"""Is the converter's time linear in a paragraph's length? One paragraph that repeats register
names, titles, abbreviations and dates, at 150 kB, 300 kB, 600 kB and 1.2 MB, converted with the
memo's volume.toml; the time of each (median of --runs, whole process) and the time per MB.

usage: python3 scripts/bench_convert_paragraph.py [--teikit target/release/teikit] [--runs 3]
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
UNIT = ("President Nixon met Kissinger and Le Duc Tho on January 23, 1973 in Paris about the "
        "DRV and the GVN. ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--teikit", default=os.path.join(root, "target/release/teikit"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="teikit-paragraph-")
    shutil.copy(os.path.join(root, "sources/frus1969-76v10/volume.toml"), work)
    print("| paragraph | time | time per MB |")
    print("|---|---|---|")
    for size in (150_000, 300_000, 600_000, 1_200_000):
        source = os.path.join(work, "d1.txt")
        with open(source, "w", encoding="utf-8") as f:
            f.write("1. Memorandum\n\nWashington, January 1, 1973.\n\n%s\n" % (UNIT * (size // len(UNIT))))
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([args.teikit, "convert", source, "-o", os.path.join(work, "d1.xml")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        print("| %d kB | %.3f s | %.3f s |" % (size // 1000, median, median / (size / 1e6)))


if __name__ == "__main__":
    main()
