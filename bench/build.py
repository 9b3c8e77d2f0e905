"""The whole build of samples/ (``aical build``) against a bare interpreter start."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import interleaved_medians

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def aical_command() -> list[str]:
    """The installed ``aical`` script of this environment, as a command."""
    aical = shutil.which("aical", path=str(Path(sys.executable).parent))
    assert aical, "aical is not installed in this environment"
    return [aical]


def build_command(inputs: Path, out: Path, year: str = "R2") -> list[str]:
    return [*aical_command(), "build", "--year", year, "--out", str(out), str(inputs)]


def bench_build(runs: int = 11) -> dict[str, float]:
    """Median wall time of the sample's build and of ``python -c pass``, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        medians = interleaved_medians({
            "bare": [sys.executable, "-c", "pass"],
            "build": build_command(SAMPLES, Path(tmp) / "out"),
        }, runs=runs)
    ratio = medians["build"] / medians["bare"]
    print(f"build of samples/ (median of {runs}, interleaved)")
    print(f"  python -c pass  {medians['bare'] * 1000:>8.1f} ms")
    print(f"  aical build     {medians['build'] * 1000:>8.1f} ms")
    print(f"  ratio           {ratio:>8.1f}x")
    return {"build_ratio": ratio}
