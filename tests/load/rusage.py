"""Runs a command and prints, as one JSON line on standard output, its exit code, wall time,
CPU time (user + system, all threads) and peak resident memory, from getrusage(2).

Usage: python3 rusage.py COMMAND [ARG...]   (the command's own output is discarded)
"""
import json
import resource
import subprocess
import sys
import time

start = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "exit": result.returncode,
    "wall_seconds": wall,
    "cpu_seconds": usage.ru_utime + usage.ru_stime,
    "peak_rss_kib": usage.ru_maxrss,
}))
