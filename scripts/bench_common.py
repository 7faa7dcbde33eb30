"""Timing and memory measurement shared by the benchmark scripts."""
import statistics
import subprocess
import time


def run(cmd):
    """Wall seconds and peak resident memory (MB) of one run.

    Memory comes from GNU time, which starts the command from a small process: a child forked
    from this Python process would count Python's own memory before the exec.
    """
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    kilobytes = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, kilobytes / 1024.0


def measure(cmd, runs):
    """Median wall seconds and the largest peak memory over `runs` runs."""
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)
