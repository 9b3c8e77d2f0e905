"""Small timing helpers shared by the benchmarks: medians of repeated runs, same process."""

from __future__ import annotations

import statistics
import subprocess
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
