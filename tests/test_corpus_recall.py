"""Recall and precision of :func:`aical.find_dates` on real public-sector text.

The truth is ``tests/data/corpus-gold/<stem>.tsv``: rows marked by a person reading
``tests/data/corpus/<stem>.txt`` line by line, never produced by aical. Each TSV starts with
``# covered lines A-B``; only those lines are scored. Columns: ``line`` (1-based), ``text`` (the
expression as written, a substring of the line), ``first``/``last`` (inclusive ISO days;
a month is its first..last day, 年度 is April 1..March 31, a year is Jan 1..Dec 31 clipped to
its era), ``inferred`` (``yes`` when month/year come from an earlier date in the file), and
``note``. Rows with a ``note`` are *don't-care*: ``vague`` (上旬, 例年８月), ``ident`` (the era
year of a document or session number: 平成31年請願第1号, 令和２年_第１回定例会) and ``quoted``
(dates cited as examples of formatting). They are not required, and a match overlapping one
is neither credited nor counted as false.

A gold row is found when a match on the same line has the same first and last day (its span
boundaries may differ). Matching is one-to-one per line, so a line that repeats a date twice
needs two matches. Run with ``pytest -s`` to see the per-file table, misses and extras.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from conftest import DATA

import pytest

import aical

GOLD_DIR = DATA / "corpus-gold"
CORPUS_DIR = DATA / "corpus"
GOLD_FILES = sorted(GOLD_DIR.glob("*.tsv"))

#: What a good finder must reach on this corpus; not lowered to what it reaches today.
MIN_RECALL = 0.95
MIN_PRECISION = 0.90

_COVERED = re.compile(r"#\s*covered lines (\d+)-(\d+)")


@dataclass(frozen=True)
class GoldRow:
    line: int
    text: str
    first: str
    last: str
    inferred: bool
    note: str
    start: int  # column of text in its line (the n-th occurrence for the n-th row with that text)

    @property
    def scored(self) -> bool:
        return not self.note


@dataclass(frozen=True)
class Gold:
    stem: str
    covered: range
    rows: tuple[GoldRow, ...]
    lines: tuple[str, ...]


def load_gold(path: Path) -> Gold:
    """Read one gold TSV and locate each row's text in the corpus line it names."""
    stem = path.stem
    lines = tuple((CORPUS_DIR / f"{stem}.txt").read_text(encoding="utf-8").splitlines())
    raw = path.read_text(encoding="utf-8").splitlines()
    m = _COVERED.match(raw[0])
    assert m, f"{path.name}:1: first line must be '# covered lines A-B'"
    covered = range(int(m[1]), int(m[2]) + 1)
    header = raw[1].split("\t")
    assert header[:4] == ["line", "text", "first", "last"], f"{path.name}:2: unexpected header {header}"
    rows: list[GoldRow] = []
    last_pos: dict[tuple[int, str], int] = {}
    for number, record in enumerate(raw[2:], start=3):
        if not record.strip() or record.startswith("#"):
            continue
        cells = record.split("\t") + [""] * 6
        line, text, first, last, inferred, note = int(cells[0]), cells[1], cells[2], cells[3], cells[4], cells[5]
        assert line in covered, f"{path.name}:{number}: line {line} outside covered {covered}"
        pos = lines[line - 1].find(text, last_pos.get((line, text), -1) + 1)
        assert pos >= 0, f"{path.name}:{number}: {text!r} is not in corpus line {line}"
        last_pos[(line, text)] = pos
        if not note or first:
            assert dt.date.fromisoformat(first) <= dt.date.fromisoformat(last), f"{path.name}:{number}"
        rows.append(GoldRow(line, text, first, last, inferred == "yes", note, pos))
    return Gold(stem, covered, tuple(rows), lines)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matches: int = 0
    agreeing: int = 0
    neutral: int = 0

    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def precision(self) -> float:
        counted = self.matches - self.neutral
        return self.agreeing / counted if counted else 1.0

    def add(self, other: Score) -> None:
        for name in ("gold", "found", "matches", "agreeing", "neutral"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_file(gold: Gold) -> tuple[Score, list[str], list[str]]:
    """Score aical on one file's covered lines; return the score, misses and extras."""
    text = "\n".join(gold.lines) + "\n"
    matches = [m for m in aical.find_dates(text) if m.line in gold.covered]
    score = Score(matches=len(matches))
    misses: list[str] = []
    extras: list[str] = []
    for line in gold.covered:
        want = [r for r in gold.rows if r.line == line and r.scored]
        dont_care = [r for r in gold.rows if r.line == line and not r.scored]
        got = [m for m in matches if m.line == line]
        score.gold += len(want)
        left = Counter((r.first, r.last) for r in want)
        unmatched = []
        for m in got:
            key = (m.span.first_day.isoformat(), m.span.last_day.isoformat())
            if left[key] > 0:
                left[key] -= 1
                score.agreeing += 1
            else:
                unmatched.append(m)
        # Gold rows whose day pair no match supplied are the misses.
        still = Counter(left)
        for r in want:
            if still[(r.first, r.last)] > 0:
                still[(r.first, r.last)] -= 1
                got_here = ", ".join(f"{m.text!r}={m.span}" for m in got) or "nothing"
                misses.append(
                    f"{gold.stem}:{line}: {r.text!r} should be {r.first}/{r.last}"
                    f"{' (year inferred)' if r.inferred else ''}; aical found {got_here}"
                )
        for m in unmatched:
            if any(m.start < r.start + len(r.text) and r.start < m.end for r in dont_care):
                score.neutral += 1
                continue
            extras.append(f"{gold.stem}:{line}: {m.text!r} -> {m.span} [{m.start}:{m.end}] agrees with no gold row")
    score.found = score.gold - len(misses)
    return score, misses, extras


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem[:2])
def test_gold_is_consistent(path: Path) -> None:
    """Every gold row sits on a covered line, its text is in that line, its days are valid."""
    gold = load_gold(path)
    assert gold.covered.stop - 1 <= len(gold.lines), f"{path.name}: covers beyond the file"
    assert any(r.scored for r in gold.rows), f"{path.name}: no scored rows"


def test_gold_files_exist() -> None:
    assert GOLD_FILES, f"no gold TSVs in {GOLD_DIR}"


def test_corpus_recall_and_precision() -> None:
    """Overall recall ≥ MIN_RECALL and precision ≥ MIN_PRECISION over the covered lines."""
    total = Score()
    all_misses: list[str] = []
    all_extras: list[str] = []
    report = [f"{'file':<58} {'gold':>5} {'found':>5} {'match':>5} {'neut':>4} {'recall':>7} {'prec':>7}"]
    for path in GOLD_FILES:
        gold = load_gold(path)
        score, misses, extras = score_file(gold)
        total.add(score)
        all_misses += misses
        all_extras += extras
        report.append(
            f"{gold.stem:<58} {score.gold:>5} {score.found:>5} {score.matches:>5} {score.neutral:>4}"
            f" {score.recall():>7.3f} {score.precision():>7.3f}"
        )
    report.append(
        f"{'OVERALL':<58} {total.gold:>5} {total.found:>5} {total.matches:>5} {total.neutral:>4}"
        f" {total.recall():>7.3f} {total.precision():>7.3f}"
    )
    summary = "\n".join(report)
    details = "\n".join(
        ["", f"misses ({len(all_misses)}):", *all_misses, f"false matches ({len(all_extras)}):", *all_extras]
    )
    print("\n" + summary + details)
    assert total.recall() >= MIN_RECALL and total.precision() >= MIN_PRECISION, (
        f"recall {total.recall():.3f} (need {MIN_RECALL}), precision {total.precision():.3f} "
        f"(need {MIN_PRECISION})\n{summary}{details}"
    )
