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


def timed_build(command: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident MB of one build, in a
    fresh child (with ``env``, if given). On a shared machine the CPU time is the steadier
    of the two times."""
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; a wrapper per run keeps
    # each measurement its own.
    probe = ("import resource, subprocess, sys, time;"
             "t = time.perf_counter();"
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL,"
             " stderr=subprocess.DEVNULL);"
             "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
             "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe, *command], check=True,
                            capture_output=True, text=True, env=env)
    wall, cpu, kilobytes = result.stdout.split()
    return float(wall), float(cpu), int(kilobytes) / 1024
