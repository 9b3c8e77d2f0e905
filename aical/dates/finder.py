"""Finding every date expression in running text, with its line and column span.

Each line is folded the way :func:`aical.dates.spans.normalize` folds one expression (NFKC, no
spaces, one range separator, kanji numerals as digits) while remembering where every folded
character came from, so that a match in the folded line maps back to the columns of the
line as written. The date grammar is the one :mod:`aical.dates.spans` uses, so ``aical dates`` and
``aical parse`` can never disagree about an expression.

Running text also leaves parts out, and a careful reader fills them in from context; so
does the finder, noting ``year_inferred`` on what it filled in:

- a month or day with no year (``２月22日``, ``本年８月``, ``7/4（土）``) takes the year that
  puts it nearest the *anchor*: the last date written on a line that is not prose (a
  header, title or list item — lines without 。), so that a deadline mentioned in passing
  does not move the year of what follows. 本年/今年 are the anchor's year, 来年/昨年 the
  next and the previous;
- a day listed after a date (``8月22日、23日``) shares its year and month;
- a year with no era (``令和8年度(9年度採用)``) takes the era of the date before it.

Without an anchor or an earlier date in the line, nothing is inferred.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import re
import unicodedata

from aical.errors import DateError
from aical.messages import msg
from aical.model import DateMatch, Span
from aical.dates.spans import (
    _FOLD,
    _GRAMMAR,
    _KANJI_NUMERAL_RUN,
    _START_GRAMMAR,
    RULE,
    _weekday,
    expand_rule,
    parse_with_notes,
)
from aical.dates.era import FiscalYear, era_of, fiscal_year_of, to_int

# A line without any of these cannot hold a date: skip the per-character folding.
_MAYBE_DATE = re.compile(r"[年月/.．／\-－頃期週]|ごろ")
# What follows a date that starts an open period: 令和3年3月以降, 平成16年7月から、
_OPEN_ENDS = ("以降", "以後", "から", "より", "~")
# A start and a length: 10月18日から2日間, 11月5日から3日間 (kanji numerals are folded)
_FOR_DAYS = re.compile(r"から(\d{1,2})日間")
# The longest date expression worth trying from one position (bounds the work per line).
_WINDOW = 96

# Where a year-less month or day may start: 8月…, 本年8月…, 7/4(土)
_YEARLESS = re.compile(
    r"(?P<rel>本年|今年|来年|昨年|翌年|前年)?の?"
    r"(?=\d{1,2}月|\d{1,2}/\d{1,2}\([月火水木金土日]|(?P<bare>\d{1,2}/\d{1,2}))"
)
# A bare M/D (2/28, 10/25開催) is a date only standing as a word of its own: not a part of a
# path, a version or a time (a/1/2, v1/2, 1/2.5), and not a fraction (1/2の確率, 1/3程度).
_BARE_WRITTEN = re.compile(r"(\d{1,2})/(\d{1,2})(?![\d/.:%])")
_NOT_BEFORE_BARE = re.compile(r"[A-Za-z0-9_/.:#@\-]$")
_FRACTION_AFTER = re.compile(r"^\s*(?:の?(?:確率|割合)|程度|以上|以下|未満|ずつ|強|弱|倍|スケール|サイズ|"
                             r"ページ|頁|号|番|周年|拍子|インチ|[^\s\w(（、。,）)~〜～\-－‐・])")
_RELATIVE_YEARS = {"本年": 0, "今年": 0, "来年": 1, "翌年": 1, "昨年": -1, "前年": -1}
# A year written without its era: 9年度, 3年1月
_ERALESS = re.compile(r"\d{1,2}年(?=度|\d{1,2}月)")
# A day listed after a date: 、23日 / ・6日 / 及び翌16日
_LISTED_DAY = re.compile(r"(?:、|,|・|及び|および|と|又は|または)(?P<next>翌)?"
                         r"(?=\d{1,2}(?:日|\([月火水木金土日]\)))")
# 23日, 23日(土), or 28(土) as informal minutes list a day after 2026/2/27(金)・
_DAY_CHAIN = re.compile(r"\d{1,2}(?:日" + _weekday("c") + r"|\([月火水木金土日]\))")
# A month listed after a month: 5月、9月、1月 / 6月下旬・7月上旬 (not 9月10日, a day)
_LISTED_MONTH = re.compile(r"(?:、|,|・|及び|および|と|又は|または)(?=\d{1,2}月(?!\d))")
# A season or quarter with no year: 冬頃, 秋ごろ, 第1四半期 (folded: 第14半期). A bare 秋 is
# too often part of a word (秋田) to be read without 頃.
_SEASONLESS = re.compile(
    r"(?P<rel>本年度|今年度|来年度|翌年度|昨年度|前年度)?の?"
    r"(?=第[1-4]4半期|[春夏秋冬](?:季|期)?(?:頃|ごろ))")
_RELATIVE_FISCAL_YEARS = {"本年度": 0, "今年度": 0, "来年度": 1, "翌年度": 1, "昨年度": -1,
                          "前年度": -1}


#: Each character met so far, folded alone (NFKC, then _FOLD), by code point: folding is
#: per character, so a line folds with one str.translate. _UNEVEN holds the characters
#: that fold to other than exactly one character (spaces to none, ㍻ to two).
_FOLDED: dict[int, str] = {}
_KNOWN: set[str] = set()
_UNEVEN: set[str] = set()
#: Of those, the characters folded to nothing (spaces), each mapped to False, and the ones
#: folded to two or more (㍻)
_DROPPED: dict[str, bool] = {}
_WIDENED: set[str] = set()


def _fold_table(line: str) -> dict[int, str]:
    if _KNOWN.issuperset(line):  # nearly every line, once a few have been read
        return _FOLDED
    for ch in set(line) - _KNOWN:
        folded = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        folded = folded.translate(_FOLD)
        _FOLDED[ord(ch)] = folded
        _KNOWN.add(ch)
        if len(folded) != 1:
            _UNEVEN.add(ch)
            if folded:
                _WIDENED.add(ch)
            else:
                _DROPPED[ch] = False
    return _FOLDED


_UNEVEN_PATTERN: list = [0, None]  # (how many uneven characters it matches, the pattern)


def _uneven_pattern() -> re.Pattern:
    """A pattern matching any character of :data:`_UNEVEN`, made again when it grows."""
    if _UNEVEN_PATTERN[0] != len(_UNEVEN):
        _UNEVEN_PATTERN[:] = [len(_UNEVEN), re.compile(
            "[" + "".join(re.escape(ch) for ch in sorted(_UNEVEN)) + "]")]
    return _UNEVEN_PATTERN[1]


def fold_with_map(line: str) -> tuple[str, list[int]]:
    """The folded line and, for each of its characters, the column it came from."""
    table = _fold_table(line)
    text = line.translate(table)
    if _UNEVEN.isdisjoint(line):  # one character for one: each column is its own
        origin = list(range(len(line)))
    elif _WIDENED.isdisjoint(line):
        # only characters folded to nothing (the spaces of a PDF's text): the columns of
        # the others, picked out in C
        origin = list(itertools.compress(range(len(line)),
                                         map(_DROPPED.get, line, itertools.repeat(True))))
    else:  # runs between the uneven characters map one for one (found at C speed)
        origin = []
        last = 0
        for m in _uneven_pattern().finditer(line):
            column = m.start()
            origin.extend(range(last, column))
            origin.extend([column] * len(table[ord(m[0])]))
            last = column + 1
        origin.extend(range(last, len(line)))
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


class _Line:
    """One line being scanned: its text as written, folded form and column map."""

    def __init__(self, line: str, line_no: int, strict: bool, problems) -> None:
        self.line = line
        self.line_no = line_no
        self.strict = strict
        self.problems = problems
        self.folded, self.origin = fold_with_map(line)
        self.taken = bytearray(len(self.folded))  # folded positions already in a match

    def columns(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1

    def glued(self, start: int) -> bool:
        """True when a match would start inside a Latin word or a number as written
        (``12020年``, ``FY2020A``): spaces were folded away, so ask the original line."""
        if not self.folded[start].isascii():
            return False
        column = self.origin[start]
        if column == 0:
            return False
        before = unicodedata.normalize("NFKC", self.line[column - 1])[-1:]
        return before.isascii() and before.isalnum()

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def problem(self, start: int, end: int, error: DateError) -> None:
        if self.problems is not None:
            first, last = self.columns(start, end)
            self.problems.append((self.line_no, first, last, self.line[first:last], error))

    def match(self, start: int, end: int, span: Span, notes) -> DateMatch:
        days = _FOR_DAYS.match(self.folded, end)
        if days and span.precision == "day" and span.first_day == span.last_day \
                and 1 <= int(days[1]) <= 31:
            # 10月18日から2日間: the start day counts (18 and 19)
            last = span.first_day + dt.timedelta(days=int(days[1]) - 1)
            span = dataclasses.replace(span, last_day=last)
            end = days.end()
        if self.folded.startswith(_OPEN_ENDS, end):
            notes += (("open_ended", msg("dates.open_ended", text=self.folded[start:end])),)
        first, last = self.columns(start, end)
        self.take(start, end)
        return DateMatch(self.line_no, first, last, self.line[first:last], span, notes)


_DAY_WITHOUT_NICHI = re.compile(r"月\d{1,2}$")


def _parse_listed(text: str, *, strict: bool):
    """:func:`parse_with_notes`, for a first day whose 日 the writer left to the list's
    last (``5月4・5日``: the grammar stops at ``5月4``, and the listed ``5日`` follows)."""
    if _DAY_WITHOUT_NICHI.search(text):
        return parse_with_notes(text + "日", strict=strict)
    return parse_with_notes(text, strict=strict)


def _read_written(ln: _Line, m: re.Match) -> DateMatch | None:
    """A match of the grammar as written; a range whose end fails falls back to its start."""
    start, end = m.start(), m.end()
    try:
        span, notes = _parse_listed(ln.folded[start:end], strict=ln.strict)
    except DateError as error:
        head = _START_GRAMMAR.match(ln.folded, start) if m.group("sep") else None
        if head is None:
            ln.problem(start, end, error)
            return None
        try:
            span, notes = parse_with_notes(ln.folded[start:head.end()], strict=ln.strict)
        except DateError as inner:
            ln.problem(start, end, inner)
            return None
        notes += ((error.code, error.message),)
        end = head.end()
    return ln.match(start, end, span, notes)


def _read_with_prefix(ln: _Line, prefix: str, at: int, begin: int, why: str,
                      length: int = _WINDOW) -> DateMatch | None:
    """Read the grammar from ``at`` (at most ``length`` folded characters) as if
    ``prefix`` (the parts left out) were written before it; the match reported starts at
    ``begin`` (before any 本年/、)."""
    window = ln.folded[at:at + min(length, _WINDOW)]
    m = _GRAMMAR.match(prefix + window)
    if m is None or m.end() <= len(prefix):
        return None
    end = at + m.end() - len(prefix)
    if not ln.free(begin, end):
        return None
    try:
        span, notes = _parse_listed(m[0], strict=ln.strict)
    except DateError:
        head = _START_GRAMMAR.match(prefix + window)
        if head is None or head.end() <= len(prefix):
            return None
        try:
            span, notes = parse_with_notes(head[0], strict=ln.strict)
        except DateError:
            return None
        end = at + head.end() - len(prefix)
    first, last = ln.columns(begin, end)
    notes += (("year_inferred", msg("dates.year_inferred", text=ln.line[first:last], why=why)),)
    return ln.match(begin, end, span, notes)


def _nearest_year(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts month/day nearest to ``anchor``."""
    best = (10**9, anchor.year)
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            distance = abs((dt.date(year, month, min(day, 28)) - anchor).days)
        except ValueError:
            continue
        best = min(best, (distance, year))
    return best[1]


def scan_line(line: str, line_no: int = 1, *, strict: bool = False,
              reference: dt.date | None = None,
              problems: list[tuple[int, int, int, str, DateError]] | None = None,
              fiscal_year: FiscalYear | None = None,
              ) -> list[DateMatch]:
    """Every date expression in one line, left to right.

    ``fiscal_year`` is the year that seasons, quarters and recurring rules written without
    one (冬頃, 第1四半期, 偶数月中旬) fall in; without it, the fiscal year of the anchor.

    ``reference`` is the anchor a year-less month/day is read against (without one, the
    first date written in the line). A range whose end cannot be read is reported as its
    start alone, with the error as a note; an expression that cannot be read at all goes
    to ``problems`` as (line, start, end, text, error).
    """
    if not _MAYBE_DATE.search(line):
        return []
    ln = _Line(line, line_no, strict, problems)
    found: list[DateMatch] = []

    # 1. what is written in full
    position = 0
    while (m := _GRAMMAR.search(ln.folded, position)) is not None:
        if m.end() == m.start() or ln.glued(m.start()):
            position = m.start() + 1
            continue
        position = m.end()
        match = _read_written(ln, m)
        if match is not None:
            found.append(match)

    # 2. days listed after a date: 8月22日、23日、翌16日; months after a month: 5月、9月、1月
    for match in list(found):
        found.extend(_listed_days(ln, match))
        found.extend(_listed_months(ln, match))

    # 2b. recurring rules (偶数月中旬, 毎月第2火曜日), expanded within the fiscal year of a
    # 年度 written just before them, else of the anchor
    found.extend(_rules(ln, found, reference, fiscal_year))

    # 3. years without an era: the era of the nearest date written before them
    found.sort(key=lambda d: d.start)
    starts = [d.start for d in found]
    for m in _ERALESS.finditer(ln.folded):
        before = bisect.bisect_left(starts, ln.origin[m.start()])
        if not before or not ln.free(m.start(), m.end()) or ln.glued(m.start()) \
                or (m.start() and (ln.folded[m.start() - 1].isdigit()
                                   or ln.folded[m.start() - 1] in "年元")):
            continue
        era = era_of(found[before - 1].span.first_day)
        match = _read_with_prefix(ln, era.name, m.start(), m.start(),
                                  f"no era written; read in {era.name} like the date before it")
        if match is not None:
            found.append(match)

    # 4. months and days without a year
    anchor = reference or next((d.span.first_day for d in found
                                if d.span.precision in ("day", "month")
                                and not _is_inferred(d)), None)
    if anchor is not None:
        for m in _YEARLESS.finditer(ln.folded):
            at = m.end()
            begin = m.start() if m.group("rel") else at
            if m.start() == m.end() and begin > 0 and (ln.folded[begin - 1].isdigit()
                                                       or ln.folded[begin - 1] in "年/."):
                continue
            if not ln.free(begin, at + 1) or ln.glued(at):
                continue
            window = _WINDOW
            if m.group("bare") and not m.group("rel"):
                window = _bare_slash_date(ln, at)
                if not window:
                    continue
            month, day = _month_day(ln.folded, at)
            if m.group("rel"):
                year = anchor.year + _RELATIVE_YEARS[m.group("rel")]
                why = msg("dates.relative_year", word=m.group('rel'), year=year)
            else:
                year = _nearest_year(month, day, anchor)
                why = msg("dates.nearest_year", year=year, anchor=anchor.isoformat())
            slash = ln.folded[at:at + 6].split("(")[0]
            prefix = f"{year}/" if "/" in slash and "月" not in slash else f"{year}年"
            match = _read_with_prefix(ln, prefix, at, begin, why, window)
            if match is not None:
                found.append(match)
                found.extend(_listed_days(ln, match))
                found.extend(_listed_months(ln, match))
                if not m.group("rel"):
                    # a line tells its days in order (7月6日、11月30日): the next year-less
                    # day is read against this one, not against the line's anchor
                    anchor = match.span.first_day

        # 4b. 同月28日 / 同日: the month or the day of the date written before it on the line
        found.extend(_same_as_before(ln, found))
        # 4c. 本日から３月16日まで: a period from the document's day (the anchor)
        if reference is not None:
            found = _from_today(ln, found, reference)

        # 5. seasons and quarters with no year (冬頃, 第1四半期): the anchor's fiscal year
        for m in _SEASONLESS.finditer(ln.folded):
            begin, at = m.start(), m.end()
            if not ln.free(begin, at + 1) or (begin and ln.folded[begin - 1] in "年度"):
                continue
            fiscal = (fiscal_year or fiscal_year_of(anchor)).start_year \
                + _RELATIVE_FISCAL_YEARS.get(m.group("rel") or "", 0)
            match = _read_with_prefix(ln, f"{fiscal}年度", at, begin,
                                      msg("dates.season_year", year=fiscal,
                                          anchor=anchor.isoformat()))
            if match is not None:
                found.append(match)

    found.sort(key=lambda d: (d.start, d.end))
    return found


_FROM_TODAY = re.compile(r"本日(?:から|より)")
#: A period from 本日 longer than this is no session or meeting (会期 last weeks, not years).
_FROM_TODAY_DAYS = 120


def _from_today(ln: _Line, found: list[DateMatch], today: dt.date) -> list[DateMatch]:
    """``本日から３月16日まで``: a period from ``today`` (the anchor: a minutes page's own
    date) to the date right after 本日から, when that date is within a few months after."""
    out = list(found)
    for m in _FROM_TODAY.finditer(ln.folded):
        column = ln.origin[m.end() - 1] + 1
        end = next((d for d in out if d.start == column and d.span.precision == "day"), None)
        if end is None or not 0 < (end.span.last_day - today).days <= _FROM_TODAY_DAYS:
            continue
        first, _ = ln.columns(m.start(), m.end())
        last = end.end + (2 if ln.line.startswith("まで", end.end) else 0)  # as a range has it
        note = ("year_inferred", msg("dates.from_today", day=today.isoformat()))
        out[out.index(end)] = DateMatch(end.line, first, last, ln.line[first:last],
                                        Span(today, end.span.last_day, "day"),
                                        (*end.notes, note))
    return out


# 同月28日 (the same month), 同日 (the same day) — not 同日付 (a document's date)
_SAME = re.compile(r"同(?:月(\d{1,2})日|日(?!付))")


def _same_as_before(ln: _Line, found: list[DateMatch]) -> list[DateMatch]:
    """同月D日 and 同日 read as the month or the day of the nearest day-precise date written
    before them on the line (４月２１日に…、同月２８日に…)."""
    out: list[DateMatch] = []
    for m in _SAME.finditer(ln.folded):
        if not ln.free(m.start(), m.end()):
            continue
        column = ln.origin[m.start()]
        before = [d for d in (*found, *out) if d.end <= column and d.span.precision == "day"]
        if not before:
            continue
        day = max(before, key=lambda d: d.end).span.first_day
        if m[1]:
            try:
                day = day.replace(day=int(m[1]))
            except ValueError:
                continue
        first, last = ln.columns(m.start(), m.end())
        note = ("year_inferred", msg("dates.year_inferred", text=ln.line[first:last],
                                     why=msg("dates.same_as_before", day=day.isoformat())))
        out.append(ln.match(m.start(), m.end(), Span(day, day, "day"), (note,)))
    return out


def _bare_slash_date(ln: _Line, at: int) -> int:
    """How much of the folded line from ``at`` to read as a ``M/D`` with no weekday; 0
    when it is none: not a real month and day, or not standing as a word of its own."""
    column = ln.origin[at]
    # as written: the folded line has lost the space of 12/9 19:00
    written = _BARE_WRITTEN.match(unicodedata.normalize("NFKC", ln.line[column:column + 8]))
    if written is None:
        return 0
    month, day = int(written[1]), int(written[2])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return 0
    before = unicodedata.normalize("NFKC", ln.line[max(0, column - 2):column])
    after = unicodedata.normalize("NFKC", ln.line[column + written.end():column + written.end() + 6])
    if _NOT_BEFORE_BARE.search(before) or _FRACTION_AFTER.match(after):
        return 0
    # a time after a space (12/9 19:00) is not the day's digits: read the day alone
    return written.end() if re.match(r"\s+\d", after) else _WINDOW


def _month_day(folded: str, at: int) -> tuple[int, int]:
    digits = re.match(r"(\d{1,2})(?:月(\d{1,2})?|/(\d{1,2}))", folded[at:at + 8])
    month = int(digits[1]) if digits else 1
    day = int(digits[2] or digits[3] or 1) if digits else 1
    return max(1, min(month, 12)), max(1, min(day, 28))


def _is_inferred(match: DateMatch) -> bool:
    return any(code == "year_inferred" for code, _ in match.notes)


def _listed_days(ln: _Line, match: DateMatch) -> list[DateMatch]:
    """Days listed after a day-precise match, sharing its year and month."""
    if match.span.precision != "day":
        return []
    out = []
    last = match.span.last_day
    # the folded position right after the match (origin never decreases: bisect)
    position = bisect.bisect_left(ln.origin, match.end)
    while (m := _LISTED_DAY.match(ln.folded, position)) is not None:
        day_match = _DAY_CHAIN.match(ln.folded, m.end())
        if day_match is None:
            break
        day = int(re.match(r"\d+", day_match[0])[0])
        if day < last.day and not m.group("next"):
            break
        listed = _read_with_prefix(ln, f"{last.year}年{last.month}月", m.end(),
                                   m.end() - (1 if m.group("next") else 0),
                                   msg("dates.listed_day", day=last.isoformat()))
        if listed is None:
            break
        out.append(listed)
        last = listed.span.last_day
        position = bisect.bisect_left(ln.origin, listed.end)
    return out


def _listed_months(ln: _Line, match: DateMatch) -> list[DateMatch]:
    """Months listed after a month (5月、9月、1月), sharing its year; a month smaller than
    the one before it is in the next year, as an elided range end rolls over."""
    if match.span.precision not in ("month", "part_of_month"):
        return []
    out = []
    last = match.span.first_day
    position = bisect.bisect_left(ln.origin, match.end)
    while (m := _LISTED_MONTH.match(ln.folded, position)) is not None:
        month = int(re.match(r"\d+", ln.folded[m.end():])[0])
        year = last.year + (1 if month < last.month else 0)
        listed = _read_with_prefix(ln, f"{year}年", m.end(), m.end(),
                                   msg("dates.listed_month",
                                       month=f"{last.year}-{last.month:02d}"))
        if listed is None:
            break
        out.append(listed)
        last = listed.span.first_day
        position = bisect.bisect_left(ln.origin, listed.end)
    return out


def _rules(ln: _Line, found: list[DateMatch], reference: dt.date | None,
           fiscal_year: FiscalYear | None) -> list[DateMatch]:
    """Every day a recurring rule on the line names, one DateMatch each (same columns)."""
    out = []
    for m in RULE.finditer(ln.folded):
        if not ln.free(m.start(), m.end()):
            continue
        first, last = ln.columns(m.start(), m.end())
        before = [d for d in found if d.end <= first and d.span.precision == "fiscal_year"
                  and not ln.line[d.end:first].strip(" の は、")]
        if before:
            year = fiscal_year_of(before[-1].span.first_day)
        elif fiscal_year is not None:
            year = fiscal_year
        else:
            anchor = reference or next((d.span.first_day for d in found
                                        if d.span.precision in ("day", "month")), None)
            if anchor is None:
                continue  # nothing says which year the rule runs in
            year = fiscal_year_of(anchor)
        ln.take(m.start(), m.end())
        text = ln.line[first:last]
        note = (("recurring", msg("dates.recurring", text=text, label=year.label)),)
        out.extend(DateMatch(ln.line_no, first, last, text, span, note)
                   for span in expand_rule(m, year, text))
    return out


def find_dates(text: str, *, strict: bool = False) -> list[DateMatch]:
    """Every date expression in a text, in order, each with its 1-based line and columns."""
    found: list[DateMatch] = []
    anchor: dt.date | None = None
    # "\n" alone ends a line, as in aical.read: str.splitlines() would also break at
    # form feeds and U+2028, and line numbers would disagree with the editor's
    for line_no, line in enumerate(text.split("\n"), start=1):
        matches = scan_line(line, line_no, strict=strict, reference=anchor)
        found.extend(matches)
        written = [m for m in matches
                   if m.span.precision in ("day", "month") and not _is_inferred(m)]
        # Dates on headers, titles and list items anchor what follows; a date in prose
        # (a line with 。) is mentioned in passing — unless nothing anchors yet.
        if written and ("。" not in line or anchor is None):
            anchor = written[-1].span.first_day
    return found


__all__ = ["find_dates", "fold_with_map", "scan_line"]
