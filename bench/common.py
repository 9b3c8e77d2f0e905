"""Small timing helpers shared by the benchmarks: medians of repeated runs, and one build
timed in a fresh child."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def best_rate(function, items, repeats: int = 5) -> float:
    """Items per second: the best of ``repeats`` passes (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - started)
    return len(items) / best


def median_seconds(command: list[str], runs: int = 21, env: dict | None = None) -> float:
    """Median wall time of a command, run ``runs`` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved_medians(commands: dict[str, list[str]], runs: int = 21) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


#: A fixed build time: a first build stamps its events (CREATED, DTSTAMP) with the time it
#: runs, so two first builds are byte-identical only with the same SOURCE_DATE_EPOCH.
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1617235200"}


#: Run by :func:`timed_build` in its own interpreter: the build as a child, its wall and CPU
#: time, the largest resident size of one process (ru_maxrss) and, sampled every 100 ms
#: while the build has forked, the proportional set size (PSS) of the build and every
#: process it forked, summed: a build that forks a writer shares pages with it, so neither
#: process's own peak is the total.
_PROBE = r"""
import os, resource, subprocess, sys, threading, time

def tree(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as handle:
                todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return found

def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0

peak = 0
t = time.perf_counter()
sampling = sys.argv[1] == "sample"
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def sample():
    global peak
    while child.poll() is None:
        pids = tree(child.pid)
        if len(pids) > 1:  # one process alone: ru_maxrss is its peak, and cheaper
            peak = max(peak, sum(pss(p) for p in pids))
        time.sleep(0.1)
if sampling and os.path.exists(f"/proc/{os.getpid()}/smaps_rollup"):
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
code = child.wait()
wall = time.perf_counter() - t
if code:
    sys.exit(f"the build failed (exit {code})")
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, u.ru_utime + u.ru_stime, max(u.ru_maxrss, peak))
"""


def timed_build(command: list[str], env: dict | None = None, *,
                sample_memory: bool = True) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, of the build and any process it forks) and
    peak MB of one build, in a fresh child (with ``env``, if given). The peak is the larger
    of the biggest process's resident size and the sampled sum of the PSS of all the
    build's processes (see :data:`_PROBE`); without ``sample_memory``, the resident size
    alone. On a shared machine the CPU time is the steadier of the two times.

    Sampling slows a big build: reading a process's smaps_rollup walks its page tables in
    the kernel, 24 ms for a 1.3 GB process, so ten readings a second of a big build's
    processes take about a quarter of one of the two cores it runs on. Time a big build
    unsampled and measure its memory in a run of its own (:mod:`bench.size`)."""
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; a wrapper per run keeps
    # each measurement its own.
    result = subprocess.run([sys.executable, "-c", _PROBE,
                             "sample" if sample_memory else "plain", *command], check=True,
                            capture_output=True, text=True, env=env)
    wall, cpu, kilobytes = result.stdout.split()
    return float(wall), float(cpu), int(kilobytes) / 1024
