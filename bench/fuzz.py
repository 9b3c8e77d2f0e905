"""`make fuzz`: a long fuzzing run of whole documents through the whole build.

The properties are the suite's (tests/test_fuzz.py, tests/strategies.py) — nothing but
aical's own errors, warnings that name lines, safe file names, feeds holding exactly the
events, pages holding nothing injected — run with many more examples, in rounds of fresh
random seeds, until ``FUZZ_SECONDS`` (default 600) have passed. A sixth property mutates
the real sample and corpus reports (lines dropped, doubled, spliced, characters replaced),
which reaches deeper into the extractor than generated text does.

Prints what it ran (examples per property, rounds, failures) and exits 1 on any failure,
after printing the falsifying example hypothesis found. Extreme numbers (years of
thousands of digits, 令和7981年度, 9999) are on; ``FUZZ_EXTREME=0`` leaves them out.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import strategies  # noqa: E402
import test_fuzz  # noqa: E402

REPORTS = [ROOT / "samples" / "r2-jigyo-hokoku.txt",
           *sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt")),
           ROOT / "tests" / "data" / "extract-misc.txt",
           ROOT / "tests" / "data" / "extract-layouts.txt"]


@st.composite
def mutated_report(draw) -> str:
    """A real report with its lines dropped, doubled, swapped, spliced with hostile text."""
    path = draw(st.sampled_from([p for p in REPORTS if p.is_file()]))
    lines = path.read_text(encoding="utf-8").split("\n")
    start = draw(st.integers(0, max(0, len(lines) - 1)))
    lines = lines[start:start + draw(st.integers(1, 200))]
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        what = draw(st.sampled_from(("drop", "double", "swap", "splice", "replace", "insert")))
        if what == "drop":
            del lines[at]
        elif what == "double":
            lines.insert(at, lines[at])
        elif what == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif what == "splice":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + draw(st.one_of(
                st.sampled_from(strategies.HOSTILE_NAMES), strategies.date_text(),
                st.text(max_size=8))) + lines[at][cut:]
        elif what == "replace" and lines[at]:
            cut = draw(st.integers(0, len(lines[at]) - 1))
            lines[at] = lines[at][:cut] + draw(st.characters()) + lines[at][cut + 1:]
        else:
            lines.insert(at, draw(st.one_of(strategies.meeting_line(), strategies.heading_line())))
    return "\n".join(lines)


def properties(extreme: bool):
    """(name, hypothesis-wrapped test) pairs, each counting its examples."""
    counts: Counter[str] = Counter()

    def counted(name, body):
        def run(value):
            counts[name] += 1
            body(value)
        return run

    def wrap(name, strategy, body):
        return name, given(strategy)(counted(name, body))

    tests = [
        wrap("document", strategies.document(extreme, max_lines=60), test_fuzz.property_document),
        wrap("file bytes", strategies.encoded_documents(extreme, max_lines=40),
             test_fuzz.property_bytes),
        wrap("raw bytes", st.binary(max_size=3000), test_fuzz.property_bytes),
        wrap("find_dates", strategies.document(extreme, max_lines=40).map(
            lambda t: t.replace("\r\n", "\n").replace("\r", "\n")), _find_dates),
        wrap("several reports", st.lists(strategies.document(extreme, max_lines=20),
                                         min_size=2, max_size=4), _several),
        wrap("mutated report", mutated_report(), test_fuzz.property_document),
    ]
    return tests, counts


def _find_dates(text: str) -> None:
    test_fuzz.property_find_dates(text)


def _several(texts: list[str]) -> None:
    from aical.errors import Error

    try:
        test_fuzz.property_several(texts)
    except Error:  # extreme inputs may be refused, with aical's own error: that is fine
        return


def main() -> int:
    seconds = float(os.environ.get("FUZZ_SECONDS", "600"))
    extreme = os.environ.get("FUZZ_EXTREME", "1") not in ("", "0")
    per_round = int(os.environ.get("FUZZ_EXAMPLES", "200"))
    tests, counts = properties(extreme)
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    rounds = 0
    failures: list[str] = []
    print(f"fuzz: {len(tests)} properties, rounds of {per_round} examples each, "
          f"{seconds:.0f} s{' (extreme numbers on)' if extreme else ''}", flush=True)
    configure = settings(max_examples=per_round, deadline=None, database=None,
                         derandomize=False, phases=[Phase.generate, Phase.shrink],
                         print_blob=True, suppress_health_check=list(HealthCheck))
    tests = [(name, configure(test)) for name, test in tests]
    while time.monotonic() < deadline and not failures:
        rounds += 1
        for name, configured in tests:
            if time.monotonic() >= deadline:
                break
            try:
                configured()
            except Exception:  # noqa: BLE001 - a fuzz failure of any kind is reported
                failures.append(name)
                print(f"\nFAILURE in property {name!r}:", flush=True)
                traceback.print_exc()
                break
        elapsed = time.monotonic() - started
        print(f"  round {rounds}: {sum(counts.values()):,} examples in {elapsed:.0f} s "
              f"({', '.join(f'{n} {c:,}' for n, c in counts.items())})", flush=True)
    total = sum(counts.values())
    print(f"fuzz: {total:,} examples in {rounds} round(s), {time.monotonic() - started:.0f} s; "
          f"failures: {len(failures)}{' (' + ', '.join(failures) + ')' if failures else ''}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
