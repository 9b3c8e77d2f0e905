"""One date or range expression → :class:`~aical.model.Span` (inclusive days).

What a span can be written as (after width folding; spaces anywhere are ignored):

- a day: 令和2年12月28日, 令和２年１２月２８日, 令和二年十二月二十八日, ㋿2年12月28日, R2.12.28,
  H31/4/30, 2020年12月28日, 2020/12/28, 2020(令和2)年12月28日, with an optional weekday
  （月）(月曜日) 月曜日 that is checked against the date;
- a month (令和2年8月), a year (令和2年, clipped to the era), a fiscal year (令和2年度, FY2020);
- a range ``START SEP END`` with SEP one of ～ 〜 ~ － ー ― or ``から…まで`` / ``から…にかけて``.
  The end may elide what it shares with the start: 7月14日～20日 (day only), 1月28日～2月4日
  (month and day), 8月～11月 (month only); an elided year rolls over when the end would
  otherwise precede the start (12月28日～1月8日 ends in the next year). 同年 and 翌年 name
  the start's year and the one after. A day-only end smaller than the start day is an error,
  not a roll into the next month: Japanese writers repeat the month.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from aical.dates.era import (
    ERA_BY_NAME,
    ERAS,
    OLDER_ERAS,
    FiscalYear,
    Note,
    era_day,
    era_fiscal_year,
    era_month,
    era_year,
    to_int,
    western_year,
)
from aical.errors import DateError
from aical.messages import msg
from aical.model import APPROXIMATE_PRECISIONS, PRECISIONS, Span

_ERA = "明治|大正|昭和|平成|令和"
_WEEKDAYS = "月火水木金土日"  # index = dt.date.weekday()
_KANJI_NUMERAL_RUN = re.compile("[〇零一二三四五六七八九十百千]+")

# Everything that separates the two ends of a range becomes "~"; spaces (PDF extraction
# puts them anywhere) disappear. Applied after NFKC, which already folds ～ and full-width
# digits, letters and brackets.
_FOLD = str.maketrans({
    "〜": "~", "ー": "~", "―": "~", "‐": "~", "–": "~", "—": "~", "−": "~", "〰": "~",
    " ": None, "\t": None, "\u3000": None, "\u00a0": None, "\n": None, "\r": None,
    "\x0b": None, "\x0c": None,
})


# Characters that need more than NFKC; most dates have none, so the slow steps are skipped.
_NEEDS_FOLDING = re.compile("[〜ー―‐–—−〰 \t\x0b\x0c\u3000\u00a0\n\r〇零一二三四五六七八九十百千]")


def normalize(text: str) -> str:
    """Fold a date expression to the grammar's alphabet: NFKC, one range separator ``~``,
    no spaces, kanji numerals as ASCII digits (二十八 → 28, 一〇 → 10; 元 stays)."""
    folded = unicodedata.normalize("NFKC", text)
    if _NEEDS_FOLDING.search(folded) is None:
        return folded
    folded = folded.translate(_FOLD)
    if _KANJI_NUMERAL_RUN.search(folded):
        folded = _KANJI_NUMERAL_RUN.sub(lambda m: str(to_int(m[0])), folded)
    return folded


def _weekday(p: str) -> str:
    return (rf"(?:\((?P<{p}wd>[{_WEEKDAYS}])(?:曜日?)?(?:[・,、][祝休]日?)?\)"
            rf"|(?P<{p}wd2>[{_WEEKDAYS}])曜日?)?")


# Approximate dates. Parts of a month (旬): 上旬/初旬/初め 1–10, 中旬 11–20, 下旬/末 21 to the
# month's end; 末日 is the last day itself. A day written as xx, ○ or 〇 (folded to 0) is not
# known yet: the whole month. 頃/ごろ/予定 keep the precision and add an ``approximate`` note.
_PARTS = "上旬|初旬|中旬|下旬|初め|はじめ|末日|末"
_PART_DAYS = {"上旬": (1, 10), "初旬": (1, 10), "初め": (1, 10), "はじめ": (1, 10),
              "中旬": (11, 20), "下旬": (21, 31), "末": (21, 31), "末日": (31, 31)}
_UNKNOWN_DAY = "[xX×○◯]{1,2}|0{1,2}"
_APPROX = "頃|ごろ|予定"
# Seasons (気象庁's: 春 March–May, 夏 June–August, 秋 September–November, 冬 December to
# February of the next year) and fiscal quarters (第1四半期 April–June … 第4 January–March).
# (四 is a kanji numeral: folding has made 第1四半期 and 第一四半期 both 第14半期.)
_SEASON = r"(?:第(?P<{p}q>[1-4])4半期|(?P<{p}season>[春夏秋冬])(?:季|期)?)"
_SEASON_MONTHS = {"春": (3, 3), "夏": (6, 3), "秋": (9, 3), "冬": (12, 3)}


# Where a start day may go without its 日: before a separator and an end day with it.
# Also before a weekday in brackets (4月1(土), as informal minutes write a day).
_DAY_BEFORE_END = r"|(?=(?:~|-|から|[、,・]|及び|および|と)\d{1,2}日|\([月火水木金土日][・)）])"


def _build() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The range grammar, and the grammar of a start alone (used when a range's end fails)."""
    def point(p: str, end: bool) -> str:
        # an end may name its year relative to the start (同年, 翌年) or drop the era (6年度)
        relative = rf"|(?P<{p}rel>[同翌])|(?P<{p}iy>\d{{1,2}})" if end else ""
        # a clock time between a start day and the separator (…1日(土)午前9時～…) is skipped
        time = "" if end else r"(?:(?:午前|午後)?\d{1,2}(?::\d{2}|時(?:\d{1,2}分|半)?))?"
        return (
            # R2.12.28, H31/4/30, R02.12.28 — Latin initials only with all three parts
            rf"(?:(?P<{p}le>[MTSHRmtshr])(?P<{p}ly>\d{{1,2}})(?P<{p}ls>[./])"
            rf"(?P<{p}lm>\d{{1,2}})(?P={p}ls)(?P<{p}ld>\d{{1,2}}){_weekday(p + 'l')}"
            # 2020/12/28, 2020.12.28, 2020-12-28
            rf"|(?P<{p}dy>\d{{4}})(?P<{p}ds>[./-])(?P<{p}dm>\d{{1,2}})(?P={p}ds)"
            rf"(?P<{p}dd>\d{{1,2}}|{_UNKNOWN_DAY}){_weekday(p + 'd')}"
            # FY2020
            rf"|(?:FY|fy)(?P<{p}fyw>\d{{4}})"
            # 令和2年…, 令和2(2020)年…, 2020年…, 2020(令和2)年…, 同年…
            rf"|(?:(?P<{p}era>{_ERA})(?P<{p}ey>\d+|元)(?:\((?P<{p}ew>\d{{4}})\))?"
            rf"|(?P<{p}wy>\d{{4}})(?:\((?P<{p}pera>{_ERA})(?P<{p}pey>\d+|元)年?\))?"
            rf"{relative})年"
            # 2026年(令和8年)7月, 令和2年(2020年)12月: the other calendar's year, cross-checked
            rf"(?:\((?P<{p}xera>{_ERA})?(?P<{p}xy>\d+|元)年?\))?"
            rf"(?:(?P<{p}fy>度)(?:(?P<{p}half>[上下]半?期)|の?{_SEASON.format(p=p + 'f')})?"
            rf"|の?{_SEASON.format(p=p)}"
            rf"|の?(?P<{p}m>\d{{1,2}})月(?:(?P<{p}d>\d{{1,2}}|{_UNKNOWN_DAY})"
            # 日 is left out before a range's or a list's end that has it (6月21～28日,
            # 5月4・5日) and before a weekday (4月1(土))
            rf"(?:日{_weekday(p)}{time}{'' if end else _DAY_BEFORE_END})"
            rf"|の?(?P<{p}part>{_PARTS}))?)?"
            rf"(?P<{p}approx>{_APPROX})?"
            rf")"
        )

    # an elided end is never empty: "令和2年4月から、" is an open start, not a range
    elided = (rf"(?:同月)?(?=\d{{1,2}}[月日]|{_PARTS})(?:(?P<em>\d{{1,2}})月)?(?:(?P<ed>\d{{1,2}})日"
              + _weekday("e") + rf"|(?P<epart>{_PARTS}))?(?P<eapprox>{_APPROX})?")
    start = point("a", False)
    return (
        re.compile(rf"{start}(?:(?P<sep>~|-|から)(?:{point('b', True)}|{elided})"
                   r"(?:まで|にかけて)?)?"),
        re.compile(start),
    )


_GRAMMAR, _START_GRAMMAR = _build()


class _Groups:
    """Indices of one end's groups in ``match.groups() + (None,)``.

    Reading groups by precomputed index instead of by name is most of what makes
    :func:`parse` fast; a group an end does not have points at the trailing None.
    """

    NAMES = ("le", "ly", "lm", "ld", "lwd", "lwd2", "dy", "dm", "dd", "dwd", "dwd2", "fyw",
             "era", "ey", "ew", "wy", "pera", "pey", "rel", "iy", "xera", "xy", "fy", "half",
             "m", "d", "wd", "wd2", "part", "approx", "q", "season", "fq", "fseason")

    def __init__(self, prefix: str) -> None:
        for name in self.NAMES:
            setattr(self, name, _GRAMMAR.groupindex.get(prefix + name, 0) - 1)


_A, _B = _Groups("a"), _Groups("b")
_SEP = _GRAMMAR.groupindex["sep"] - 1
_EM, _ED = _GRAMMAR.groupindex["em"] - 1, _GRAMMAR.groupindex["ed"] - 1
_EWD, _EWD2 = _GRAMMAR.groupindex["ewd"] - 1, _GRAMMAR.groupindex["ewd2"] - 1
_EPART, _EAPPROX = _GRAMMAR.groupindex["epart"] - 1, _GRAMMAR.groupindex["eapprox"] - 1
_OLDER_ERA = re.compile("|".join(OLDER_ERAS))


class _Point:
    """One resolved end: its days, precision and what an elided end may inherit."""

    __slots__ = ("first", "last", "precision", "year", "month", "day", "era", "era_year",
                 "notes")

    def __init__(self, first, last, precision, year, month, day, era, era_year, notes):
        self.first = first
        self.last = last
        self.precision = precision
        self.year = year
        self.month = month
        self.day = day
        self.era = era
        self.era_year = era_year
        self.notes = notes


def _check_weekday(written: str | None, date: dt.date, text: str) -> tuple[Note, ...]:
    if written is None or _WEEKDAYS[date.weekday()] == written:
        return ()
    actual = _WEEKDAYS[date.weekday()]
    return (("weekday_mismatch", msg("dates.weekday_mismatch", text=text, date=date.isoformat(),
                                     actual=actual, written=written)),)


def _day(era, ey, year, month, day, text, strict):
    """A day from either an era year (``era`` set) or a Western year."""
    if era is not None:
        return era_day(era, ey, month, day, text=text, strict=strict)
    if not 1 <= month <= 12:
        raise DateError("invalid_date", msg("dates.no_month", text=text, month=month), text)
    try:
        return dt.date(year, month, day), ()
    except ValueError:
        raise DateError("invalid_date", msg("dates.no_day", text=text, year=year, month=month,
                                            day=day), text) from None


def _month(era, ey, year, month, text, strict):
    if era is not None:
        return era_month(era, ey, month, text=text, strict=strict)
    if not 1 <= month <= 12:
        raise DateError("invalid_date", msg("dates.no_month", text=text, month=month), text)
    import calendar

    return (dt.date(year, month, 1),
            dt.date(year, month, calendar.monthrange(year, month)[1]), ())


def _resolve(g: tuple, i: _Groups, text: str, strict: bool, start: _Point | None) -> _Point:
    """Turn the groups ``g`` of one end (indices ``i``) into days."""
    if g[i.le] is not None:  # R2.12.28
        era = ERA_BY_NAME[g[i.le]]
        ey = int(g[i.ly])
        month, day = int(g[i.lm]), int(g[i.ld])
        date, notes = era_day(era, ey, month, day, text=text, strict=strict)
        notes += _check_weekday(g[i.lwd] or g[i.lwd2], date, text)
        return _Point(date, date, "day", date.year, month, day, era, ey, notes)
    if g[i.dy] is not None:  # 2020/12/28
        year = western_year(int(g[i.dy]), text)
        month = int(g[i.dm])
        if not g[i.dd].isdigit() or int(g[i.dd]) == 0:  # 2023.03.xx: the day is not known
            first, last, notes = _month(None, 0, year, month, text, strict)
            return _Point(first, last, "month", year, month, None, None, 0,
                          notes + (_unknown_day(text),))
        day = int(g[i.dd])
        date, notes = _day(None, 0, year, month, day, text, strict)
        notes += _check_weekday(g[i.dwd] or g[i.dwd2], date, text)
        return _Point(date, date, "day", year, month, day, None, 0, notes)
    if g[i.fyw] is not None:  # FY2020
        fiscal_year = FiscalYear(western_year(int(g[i.fyw]), text))
        return _Point(fiscal_year.first_day, fiscal_year.last_day, "fiscal_year",
                      fiscal_year.start_year, None, None, None, 0, ())

    notes: tuple[Note, ...] = ()
    if g[i.era] is not None:
        era = ERA_BY_NAME[g[i.era]]
        ey = to_int(g[i.ey])
        year = era.offset + ey
        if g[i.ew] is not None and int(g[i.ew]) != year:
            raise DateError("invalid_year", msg("dates.era_year_is_not", text=text,
                                                written=f"{g[i.era]}{g[i.ey]}年", year=year,
                                                other=g[i.ew]), text)
    elif g[i.wy] is not None:
        era, ey = None, 0
        year = western_year(int(g[i.wy]), text)
        if g[i.pera] is not None:
            if ERA_BY_NAME[g[i.pera]].offset + to_int(g[i.pey]) != year:
                raise DateError("invalid_year", msg("dates.year_is_not_era_year", text=text,
                                                    year=year,
                                                    written=f"{g[i.pera]}{g[i.pey]}年"), text)
    elif g[i.iy] is not None:  # 令和元年度から6年度まで: the start's era
        assert start is not None
        era, ey = start.era, int(g[i.iy])
        if era is None:
            raise DateError("no_date", msg("dates.end_year_no_era", text=text, year=ey), text)
        year = era.offset + ey
    else:  # 同年 / 翌年: the start's year, or the one after
        assert start is not None
        step = 1 if g[i.rel] == "翌" else 0
        era = start.era
        ey = start.era_year + step if era is not None else 0
        year = western_year(start.year + step, text)

    if g[i.xy] is not None:
        other = (ERA_BY_NAME[g[i.xera]].offset + to_int(g[i.xy]) if g[i.xera] is not None
                 else to_int(g[i.xy]))
        if other != year:
            raise DateError("invalid_year", msg("dates.years_disagree", text=text, year=year,
                                                other=other), text)
    if g[i.q] is not None or g[i.season] is not None:  # 令和2年秋, 2020年第1四半期
        return _season(g[i.q], g[i.season], year, False, era, ey, text)
    if g[i.fy] is not None:
        if era is not None:
            fiscal_year, notes = era_fiscal_year(era, ey, text=text, strict=strict)
        else:
            fiscal_year = FiscalYear(year)
        if g[i.fq] is not None or g[i.fseason] is not None:  # 令和2年度第1四半期, 令和2年度冬
            point = _season(g[i.fq], g[i.fseason], fiscal_year.start_year, True, era, ey, text)
            point.notes = notes + point.notes
            return point
        if g[i.half] is not None:  # 上期 April–September, 下期 October–March
            first, last = ((fiscal_year.first_day, dt.date(year, 9, 30))
                           if g[i.half][0] == "上"
                           else (dt.date(year, 10, 1), fiscal_year.last_day))
            return _Point(first, last, "month", fiscal_year.start_year, None, None, era, ey,
                          notes)
        return _Point(fiscal_year.first_day, fiscal_year.last_day, "fiscal_year",
                      fiscal_year.start_year, None, None, era, ey, notes)
    if g[i.m] is None:
        if era is not None:
            first, last, notes = era_year(era, ey, text=text, strict=strict)
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return _Point(first, last, "year", year, None, None, era, ey, notes)
    month = int(g[i.m])
    if g[i.part] is not None:
        return _part_of_month(g[i.part], era, ey, year, month, text, strict)
    if g[i.d] is None or not g[i.d].isdigit() or int(g[i.d]) == 0:
        first, last, notes = _month(era, ey, year, month, text, strict)
        if g[i.d] is not None:  # 3月xx日, 3月〇日: the day is not known yet
            notes += (_unknown_day(text),)
        return _Point(first, last, "month", year, month, None, era, ey, notes)
    day = int(g[i.d])
    date, notes = _day(era, ey, year, month, day, text, strict)
    notes += _check_weekday(g[i.wd] or g[i.wd2], date, text)
    return _Point(date, date, "day", year, month, day, era, ey, notes)


def _unknown_day(text: str) -> Note:
    return ("approximate", msg("dates.unknown_day", text=text))


def _part_of_month(part, era, ey, year, month, text, strict) -> _Point:
    """上旬 (1–10), 中旬 (11–20), 下旬 / 末 (21–end) of a month; 末日 is its last day."""
    first, last, notes = _month(era, ey, year, month, text, strict)
    low, high = _PART_DAYS[part]
    start = max(first, first.replace(day=min(low, last.day)))
    end = min(last, last.replace(day=min(high, last.day)))
    if start > end:  # the part lies before the era began (令和元年4月下旬)
        raise DateError("before_era_start", msg("dates.part_before_era", text=text,
                                                era=era.name if era else "",
                                                first=first.isoformat()), text)
    if part == "末日":
        return _Point(end, end, "day", year, month, end.day, era, ey, notes)
    notes += (("approximate", msg("dates.part_of_month", text=text, part=part,
                                  first=start.day, last=end.day)),)
    return _Point(start, end, "part_of_month", year, month, low, era, ey, notes)


def _season(quarter, season, year, fiscal, era, ey, text) -> _Point:
    """A fiscal quarter (第1四半期 = April–June of fiscal year ``year``) or a season (春
    March–May, 夏 June–August, 秋 September–November, 冬 December–February). In a fiscal
    year (令和2年度春) the season's months are taken inside it: 春 is April–May."""
    if quarter is not None:
        start_month, months, start_year = 4 + 3 * (int(quarter) - 1), 3, year
        precision = "quarter"
        fiscal = True
    else:
        start_month, months = _SEASON_MONTHS[season]
        start_year = year
        precision = "season"
        if fiscal and season == "春":
            start_month, months = 4, 2
    if fiscal and start_month > 12:
        start_month -= 12
        start_year += 1
    end_month = start_month + months - 1
    end_year = start_year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    import calendar

    first = dt.date(start_year, start_month, 1)
    last = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    if era is not None and not fiscal:  # 令和元年度第1四半期 is valid, as 令和元年度 is
        if last < era.first_day:
            raise DateError("before_era_start", msg("dates.season_before_era", text=text,
                                                    era=era.name,
                                                    first=era.first_day.isoformat()), text)
        first = max(first, era.first_day)
    what = f"第{quarter}四半期" if quarter is not None else season
    note = ("approximate", msg("dates.season", text=text, what=what, first=first.isoformat(),
                               last=last.isoformat()))
    return _Point(first, last, precision, year, None, None, era, ey, (note,))


def _resolve_elided(g: tuple, start: _Point, text: str, strict: bool) -> _Point:
    """An end that omits its year (and maybe its month): 20日, 2月4日, 11月."""
    month_text, day_text = g[_EM], g[_ED]
    if start.month is None:
        raise DateError("no_date", msg("dates.year_range_needs_year", text=text), text)
    era, ey, year = start.era, start.era_year, start.year
    part = g[_EPART]
    if part is not None and day_text is None:  # 6月上旬～中旬, 6月下旬～7月上旬
        month = int(month_text) if month_text is not None else start.month
        if month < start.month:
            year = western_year(year + 1, text)
            ey += 1
        return _part_of_month(part, era, ey, year, month, text, strict)
    if month_text is None:  # 20日: same month as the start
        if start.day is None:
            raise DateError("no_date", msg("dates.month_range_day_end", text=text), text)
        month, day = start.month, int(day_text)
        if day < start.day:
            raise DateError("range_end_before_start",
                            msg("dates.end_day_before_start", text=text, day=day,
                                start=start.day), text)
    else:
        month = int(month_text)
        day = int(day_text) if day_text is not None else None
        # An elided year rolls over only when keeping it would put the end first
        # (12月28日～1月8日 ends in January of the next year).
        if (month, day or 31) < (start.month, start.day or 1):
            year = western_year(year + 1, text)
            ey += 1
    if day is None:
        first, last, notes = _month(era, ey, year, month, text, strict)
        return _Point(first, last, "month", year, month, None, era, ey, notes)
    date, notes = _day(era, ey, year, month, day, text, strict)
    notes += _check_weekday(g[_EWD] or g[_EWD2], date, text)
    return _Point(date, date, "day", year, month, day, era, ey, notes)


# The form most dates take (令和2年12月28日): read without the full grammar's ~90 groups.
# Same rules (era_day), so the exhaustive tests hold for both paths.
_PLAIN_DAY = re.compile(rf"({_ERA})(\d{{1,2}}|元)年(\d{{1,2}})月(\d{{1,2}})日")


def parse_with_notes(text: str, *, strict: bool = False) -> tuple[Span, tuple[Note, ...]]:
    """Like :func:`parse`, also returning the notes (after_era_end, weekday_mismatch)."""
    return _parsed(text, strict)


# A report's dates repeat: a year has 365 days and a report writes each in a few forms, so
# a big one (275,000 meetings) reads the same expressions again and again. The result is
# immutable (a frozen Span, a tuple of notes); an error is raised again each time.
@functools.lru_cache(maxsize=1 << 14)
def _parsed(text: str, strict: bool) -> tuple[Span, tuple[Note, ...]]:
    folded = normalize(text)
    plain = _PLAIN_DAY.fullmatch(folded)
    if plain is not None and plain[4].strip("0"):  # 〇日 (folded 0日): the grammar's unknown day
        era, year, month, day = plain.groups()
        date, notes = era_day(ERA_BY_NAME[era], 1 if year == "元" else int(year), int(month),
                              int(day), text=text, strict=strict)
        return Span(date, date, "day"), notes
    m = _GRAMMAR.fullmatch(folded)
    if m is None:
        older = _OLDER_ERA.search(folded)
        if older:
            raise DateError("unsupported_era", msg("dates.unsupported_era", text=text,
                                                   era=older[0]), text)
        raise DateError("no_date", msg("dates.not_a_date", text=repr(text)), text)
    groups = m.groups() + (None,)
    start = _resolve(groups, _A, text, strict, None)
    if groups[_A.approx] is not None:
        start.notes += _approximate(groups[_A.approx], text)
    if groups[_SEP] is None:
        return Span(start.first, start.last, start.precision), start.notes
    if groups[_EM] is None and groups[_ED] is None and groups[_EPART] is None:
        end = _resolve(groups, _B, text, strict, start)
        approx = groups[_B.approx]
    else:
        end = _resolve_elided(groups, start, text, strict)
        approx = groups[_EAPPROX]
    if approx is not None:
        end.notes += _approximate(approx, text)
    if end.last < start.first or end.first < start.first:
        raise DateError("range_end_before_start",
                        msg("dates.end_before_start", text=text, end=end.first.isoformat(),
                            start=start.first.isoformat()), text)
    precision = start.precision if start.precision == end.precision else "day"
    if precision == "day" and {start.precision, end.precision} & _APPROXIMATE:
        # 6月下旬～7月: as coarse as its coarser end
        precision = max(start.precision, end.precision, key=PRECISIONS.index)
    notes = start.notes + tuple(n for n in end.notes if n not in start.notes)
    return Span(start.first, end.last, precision), notes


_APPROXIMATE = frozenset(APPROXIMATE_PRECISIONS)


def _approximate(word: str, text: str) -> tuple[Note, ...]:
    return (("approximate", msg("dates.approximate", text=text, word=word)),)


def parse(text: str, *, strict: bool = False) -> Span:
    """Read one date or range: ``parse("令和2年12月28日～1月8日")`` → 2020-12-28/2021-01-08.

    Raises :class:`~aical.errors.DateError` (with ``.code``) for anything else. Lenient mode
    (the default) accepts a date after its era ended (平成32年); ``strict=True`` rejects it.
    """
    # The most common form, written plainly (令和2年12月28日, 昭和45年03月07日): NFKC would
    # leave it as it is, and a day inside its era raises no note, so its Span is made here
    # directly. Anything else — other forms, a day outside its era, 明治1–5年, 〇日 — takes
    # the general path, which gives the same answer or the error (a test compares both).
    plain = _PLAIN_DAY.fullmatch(text)
    if plain is not None:
        era_name, year, month, day = plain.groups()
        known = _ERA_RANGES.get(era_name)
        if known is not None and year != "元":
            offset, first, last = known
            try:
                date = dt.date(offset + int(year), int(month), int(day))
            except ValueError:
                date = None
            if date is not None and first <= date <= last:
                return Span(date, date, "day")
    return parse_with_notes(text, strict=strict)[0]


# Era name → (offset, first day, last day) of the days the fast path of parse() may read:
# 明治 only from its Gregorian 6年 (1873), and the current era open-ended.
_ERA_RANGES = {
    era.name: (era.offset, max(era.first_day, dt.date(1873, 1, 1)),
               era.last_day or dt.date.max) for era in ERAS
}


# ------------------------------------------------------------------ lists and rules

#: A recurring rule, expanded within one fiscal year: 偶数月中旬 (April, June … February),
#: 奇数月, 毎月第2火曜日, 毎月15日, 毎月末. (Matched against folded text.) Weekly rules (毎週土曜日)
#: are left out: in notices they describe opening hours far more often than meetings.
RULE = re.compile(
    r"(?:(?P<which>毎月|偶数月|奇数月)の?(?:(?P<part>" + _PARTS + r")"
    rf"|第(?P<nth>[1-5])(?P<wd>[{_WEEKDAYS}])曜日?|(?P<day>\d{{1,2}})日))")
_RULE_MONTHS = {"毎月": (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3), "偶数月": (4, 6, 8, 10, 12, 2),
                "奇数月": (5, 7, 9, 11, 1, 3)}
#: What separates the months of a list (5月、9月、1月).
LIST_SEPARATOR = re.compile(r"[、,・]|及び|および|と|又は|または")


def expand_rule(m: re.Match, fiscal_year: FiscalYear, text: str = "") -> list[Span]:
    """The days a :data:`RULE` match names within ``fiscal_year``, in order."""
    import calendar

    text = text or m[0]
    out = []
    for month in _RULE_MONTHS[m["which"]]:
        year = fiscal_year.start_year + (0 if month >= 4 else 1)
        length = calendar.monthrange(year, month)[1]
        if m["part"] is not None:
            point = _part_of_month(m["part"], None, 0, year, month, text, False)
            out.append(Span(point.first, point.last, point.precision))
        elif m["nth"] is not None:
            weekday = _WEEKDAYS.index(m["wd"])
            first = dt.date(year, month, 1)
            day = 1 + (weekday - first.weekday()) % 7 + 7 * (int(m["nth"]) - 1)
            if day <= length:  # a month without a 5th Tuesday has none
                out.append(Span(dt.date(year, month, day), dt.date(year, month, day), "day"))
        elif int(m["day"]) <= length:
            day = int(m["day"])
            out.append(Span(dt.date(year, month, day), dt.date(year, month, day), "day"))
    return out


def parse_all(text: str, *, fiscal_year: FiscalYear | None = None, strict: bool = False
              ) -> tuple[tuple[Span, ...], tuple[Note, ...]]:
    """One date or range (as :func:`parse_with_notes`), a list of months sharing a year
    (令和2年5月、9月、1月 → May and September 2020, January 2021: a month smaller than the one
    before it is in the next year), or a recurring rule (令和2年度偶数月中旬, 毎月第2火曜日) expanded
    within its fiscal year. ``fiscal_year`` is the year of a list or rule that names none.
    """
    try:
        span, notes = parse_with_notes(text, strict=strict)
        return (span,), notes
    except DateError as error:
        if error.code != "no_date":
            raise
        failure = error
    folded = normalize(text)
    head = _GRAMMAR.match(folded)
    context = fiscal_year
    rest = folded
    if head is not None and head.end() and head["afy"] is not None \
            and head["afq"] is None and head["afseason"] is None and head["ahalf"] is None:
        context = FiscalYear(parse_with_notes(head[0], strict=strict)[0].first_day.year)
        rest = folded[head.end():].lstrip("のは:")
    rule = RULE.fullmatch(rest)
    if rule is not None:
        if context is None:
            raise DateError("no_date", msg("dates.rule_needs_year", text=text), text)
        spans = tuple(expand_rule(rule, context, text))
        return spans, (("recurring", msg("dates.rule_days", text=text, count=len(spans),
                                         label=context.label)),)
    pieces = LIST_SEPARATOR.split(folded)
    if len(pieces) < 2:
        raise failure
    spans: list[Span] = []
    notes: tuple[Note, ...] = ()
    first = pieces[0]
    if re.fullmatch(r"\d{1,2}月.*", first):
        if context is None:
            raise DateError("no_date", msg("dates.list_needs_year", text=text), text)
        month = int(re.match(r"\d+", first)[0])
        first = f"{context.start_year + (0 if month >= 4 else 1)}年{first}"
    try:
        span, notes = parse_with_notes(first, strict=strict)
    except DateError:
        raise failure from None
    if span.precision not in ("month", "part_of_month", "day"):
        raise failure
    spans.append(span)
    year, month = span.first_day.year, span.first_day.month
    for piece in pieces[1:]:
        found = re.fullmatch(r"(\d{1,2})月.*", piece)
        if found is None:
            raise failure
        if int(found[1]) < month:
            year += 1
        month = int(found[1])
        span, more = parse_with_notes(f"{year}年{piece}", strict=strict)
        spans.append(span)
        notes += tuple(n for n in more if n not in notes)
    return tuple(spans), notes
