"""Finding every date expression in running text, with its line and column span.

Each line is folded the way :func:`aical.spans.normalize` folds one expression (NFKC, no
spaces, one range separator, kanji numerals as digits) while remembering where every folded
character came from, so that a match in the folded line maps back to the columns of the
line as written. The date grammar is the one :mod:`aical.spans` uses, so ``aical dates`` and
``aical parse`` can never disagree about an expression.

A month and day written without a year (``２月22日``, common in minutes) takes its year from
the nearest date written earlier in the text: the year that puts it closest to that date.
Such matches carry the note ``year_inferred``; without an earlier date they are not reported.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from aical.errors import DateError
from aical.model import DateMatch, Span
from aical.spans import _FOLD, _GRAMMAR, _KANJI_NUMERAL_RUN, _START_GRAMMAR, parse_with_notes
from aical.era import to_int

# A line without any of these cannot hold a date: skip the per-character folding.
_MAYBE_DATE = re.compile(r"[年月/.．／]")
_STARTS = re.compile(r"(?<![0-9A-Za-z])" + _GRAMMAR.pattern)
_START_ONLY = _START_GRAMMAR
# What follows a date that starts an open period: 令和3年3月以降, 平成16年7月から、
_OPEN_ENDS = ("以降", "以後", "から", "より", "~")
_YEARLESS = re.compile(
    r"(?<![0-9年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"(?:\([月火水木金土日](?:曜日?)?(?:[・,、][祝休]日?)?\))?"
    r"(?:(?:~|から)(?:(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日"
    r"(?:\([月火水木金土日](?:曜日?)?(?:[・,、][祝休]日?)?\))?(?:まで|にかけて)?)?"
)


def fold_with_map(line: str) -> tuple[str, list[int]]:
    """The folded line and, for each of its characters, the column it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for column, ch in enumerate(line):
        folded = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        folded = folded.translate(_FOLD)
        for out in folded:
            chars.append(out)
            origin.append(column)
    text = "".join(chars)
    if not _KANJI_NUMERAL_RUN.search(text):
        return text, origin
    pieces: list[str] = []
    new_origin: list[int] = []
    last = 0
    for m in _KANJI_NUMERAL_RUN.finditer(text):
        pieces.append(text[last:m.start()])
        new_origin.extend(origin[last:m.start()])
        digits = str(to_int(m[0]))
        pieces.append(digits)
        # every digit points at the run's first column; the run's end is kept below
        new_origin.extend([origin[m.start()]] * (len(digits) - 1) + [origin[m.end() - 1]])
        last = m.end()
    pieces.append(text[last:])
    new_origin.extend(origin[last:])
    return "".join(pieces), new_origin


def _columns(origin: list[int], start: int, end: int) -> tuple[int, int]:
    return origin[start], origin[end - 1] + 1


def _infer_year(month: int, day: int, reference: dt.date) -> int | None:
    """The year that puts month/day nearest to ``reference`` (None if it never exists)."""
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        distance = abs((candidate - reference).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def scan_line(line: str, line_no: int = 1, *, strict: bool = False,
              reference: dt.date | None = None,
              problems: list[tuple[int, int, int, str, DateError]] | None = None,
              ) -> list[DateMatch]:
    """Every date expression in one line, left to right.

    ``reference`` is the date a year-less month/day is read against. A range whose end
    cannot be read is reported as its start alone, with the error as a note; an expression
    that cannot be read at all goes to ``problems`` as (line, start, end, text, error).
    """
    if not _MAYBE_DATE.search(line):
        return []
    folded, origin = fold_with_map(line)
    found: list[DateMatch] = []
    covered: list[tuple[int, int]] = []
    position = 0
    while True:
        m = _STARTS.search(folded, position)
        if m is None:
            break
        position = m.end()
        if m.end() == m.start():
            position += 1
            continue
        match = _read(line, line_no, folded, origin, m.start(), m.end(), m.end("sep") if
                      m.group("sep") else None, strict, problems)
        if match is not None:
            found.append(match)
            covered.append((m.start(), m.end()))
            if match.span.precision in ("day", "month"):  # 令和2年度 is no anchor
                reference = match.span.first_day
    if reference is not None:
        found.extend(_yearless(line, line_no, folded, origin, covered, strict, reference))
        found.sort(key=lambda d: d.start)
    return found


def _read(line, line_no, folded, origin, start, end, sep_end, strict, problems):
    """Parse folded[start:end]; fall back to the start alone when the range's end fails."""
    try:
        span, notes = parse_with_notes(folded[start:end], strict=strict)
    except DateError as error:
        if sep_end is None:
            if problems is not None:
                first, last = _columns(origin, start, end)
                problems.append((line_no, first, last, line[first:last], error))
            return None
        m = _START_ONLY.match(folded, start)
        if m is None:
            return None
        try:
            span, notes = parse_with_notes(folded[m.start():m.end()], strict=strict)
        except DateError as inner:
            if problems is not None:
                first, last = _columns(origin, start, end)
                problems.append((line_no, first, last, line[first:last], inner))
            return None
        notes += ((error.code, error.message),)
        end = m.end()
    if folded.startswith(_OPEN_ENDS, end):
        notes += (("open_ended", f"{folded[start:end]}: a start with no end written "
                   "(…から, …以降)"),)
    first, last = _columns(origin, start, end)
    return DateMatch(line_no, first, last, line[first:last], span, notes)


def _yearless(line, line_no, folded, origin, covered, strict, reference):
    found = []
    for m in _YEARLESS.finditer(folded):
        if any(a <= m.start() < b for a, b in covered):
            continue
        year = _infer_year(int(m["m"]), int(m["d"]), reference)
        if year is None:
            continue
        try:
            span, notes = parse_with_notes(f"{year}年{m[0]}", strict=strict)
        except DateError:
            continue
        first, last = _columns(origin, m.start(), m.end())
        notes += (("year_inferred",
                   f"{line[first:last]}: no year written; read as {year} from the date "
                   f"before it ({reference.isoformat()})"),)
        found.append(DateMatch(line_no, first, last, line[first:last], span, notes))
    return found


def find_dates(text: str, *, strict: bool = False) -> list[DateMatch]:
    """Every date expression in a text, in order, each with its 1-based line and columns."""
    found: list[DateMatch] = []
    reference: dt.date | None = None
    for line_no, line in enumerate(text.splitlines(), start=1):
        matches = scan_line(line, line_no, strict=strict, reference=reference)
        found.extend(matches)
        for match in matches:
            if match.span.precision in ("day", "month"):
                reference = match.span.first_day
    return found


__all__ = ["DateMatch", "Span", "find_dates", "fold_with_map", "scan_line"]
