"""Shared fixtures: test data loaded by stem name, and the sample report's expected events."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from aical.model import Event, Source, Span

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "samples" / "r2-jigyo-hokoku.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, why: str) -> None:
    """Skip a test whose tool is missing locally; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{why} (required in CI: .ci/run installs it)")
    pytest.skip(why)


def interruptible() -> None:
    """``preexec_fn`` for a child the test sends Ctrl-C: a suite started in the background
    (``make test &``) inherits SIGINT ignored, and Python then installs no KeyboardInterrupt
    for it; the child gets the default back, as a terminal's process has it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative POSIX path: a build, for comparing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_handled(result) -> None:
    """A CliRunner result that ended the way aical means to: normally, or through a
    message (SystemExit) — never an uncaught exception or the CLI's "internal error"."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "internal error" not in result.output, result.output


@pytest.fixture(scope="session")
def expected_rows() -> list[dict]:
    """Rows of r2-jigyo-hokoku.expected.tsv: the 84 events a correct extraction finds."""
    with open(DATA / "r2-jigyo-hokoku.expected.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def split_body(text: str) -> tuple[str, ...]:
    """The TSV's ``/``-joined heading path; a ``/`` inside brackets belongs to a name
    (あいち電子調達共同システム（CALS/EC）事業)."""
    return tuple(re.split(r"/(?![^（(]*[）)])", text))


def events_from_expected(rows: list[dict]) -> list[Event]:
    """Events built straight from the expected TSV: independent of aical's extractor, so
    exporters can be tested against truth that aical did not compute."""
    events = []
    for row in rows:
        span = Span(dt.date.fromisoformat(row["first"]), dt.date.fromisoformat(row["last"]),
                    row["precision"])
        events.append(Event(
            uid=f"expected-{row['line']}@aical.test",
            body=split_body(row["body"]),
            summary=row["summary_has"],
            span=span,
            mode=row["mode"] or None,
            venue=row["venue"] or None,
            source=Source(SAMPLE.name, int(row["line"])),
            original=row["summary_has"],
        ))
    return events


@pytest.fixture(scope="session")
def expected_events(expected_rows) -> list[Event]:
    return events_from_expected(expected_rows)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium is not installed")
    return path
