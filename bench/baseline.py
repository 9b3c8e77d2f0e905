"""The 100× build against the code of the day the layouts issue was filed.

Issue 12 asked that extraction, widened to every common layout, stay as fast as the
extractor it replaced: the 100× report of :mod:`bench.scaling` built by this checkout and
by :data:`BASELINE` (the last commit before the layout work: the sample's lists only),
interleaved in the same run, so the machine's load hits both alike. The baseline's code is
taken from git into a temporary folder and run with this environment's packages; without
a git checkout the comparison is skipped with a line saying so.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.build import build_command
from bench.common import timed_build
from bench.scaling import repeated_report

ROOT = Path(__file__).resolve().parent.parent
#: "finder: one literal for the year-less lookahead" — main when issues 10–15 were filed.
BASELINE = "15e978dbaf1206d703cb89d65a97426ffef45e7e"


def _baseline_code(into: Path) -> bool:
    """The baseline's aical/ package extracted into ``into``; False without git."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "aical"],
                                 check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return True


def bench_baseline(copies: int = 100, runs: int = 5) -> dict[str, float]:
    """Median wall time of the ``copies``× build by this code and by the baseline's."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        old = root / "baseline"
        old.mkdir()
        if not _baseline_code(old):
            print("baseline: skipped (not a git checkout: the baseline's code is read from git)")
            return {}
        inputs = root / "in"
        inputs.mkdir()
        (inputs / "report.txt").write_text(repeated_report(copies), encoding="utf-8")
        ours = build_command(inputs, root / "ours")
        theirs = [sys.executable, "-c",
                  f"import sys; sys.path.insert(0, {str(old)!r}); "
                  "sys.argv[0] = 'aical'; from aical.cli import cli; cli()",
                  *ours[1:-3], "--out", str(root / "theirs"), str(inputs)]
        times: dict[str, list[tuple[float, float]]] = {"ours": [], "baseline": []}
        for _ in range(runs):  # interleaved
            times["ours"].append(timed_build(ours)[:2])
            times["baseline"].append(timed_build(theirs)[:2])
    # wall time, and CPU time (this build's and any process it forks): on a shared
    # machine the CPU time is the steadier, and a build that writes on two cores spends
    # more of it than it waits
    wall = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    ratio, cpu_ratio = wall["ours"] / wall["baseline"], cpu["ours"] / cpu["baseline"]
    print(f"baseline: the {copies}× build, this code against {BASELINE[:7]} "
          f"(median of {runs}, interleaved)")
    print(f"  {BASELINE[:7]}  {wall['baseline']:>7.2f} s  ({cpu['baseline']:.2f} s CPU)")
    print(f"  this code {wall['ours']:>7.2f} s  ({cpu['ours']:.2f} s CPU)")
    print(f"  ratio     {ratio:>7.2f}x  ({cpu_ratio:.2f}x CPU)   (goal: <= 1.0x)")
    return {"baseline_ratio": ratio, "baseline_cpu_ratio": cpu_ratio}


if __name__ == "__main__":
    bench_baseline()
