"""Japanese eras (元号) from 明治 to 令和: numerals, one date, and fiscal years (年度).

Conventions implemented here:

- 元年 is year 1 of an era. An era's year N is Gregorian year ``offset + N``.
- Era bounds are exact days: 平成 ended on 2019-04-30, 令和 began on 2019-05-01.
- A date before its era began (令和元年4月1日) is an error. A date after its era ended
  (平成32年1月1日, common in plans drafted before 2019) is accepted with a note in lenient
  mode and rejected with ``after_era_end`` in strict mode.
- 年度 (fiscal year) runs from April 1 to March 31. 令和元年度 is valid although 令和 began
  on May 1: a fiscal year is named after the calendar year it starts in.
- 明治1–5 used the lunisolar (天保) calendar; Japan switched to the Gregorian calendar when
  明治5年12月3日 became 明治6年1月1日 (1873-01-01). Only days this module knows exactly are
  converted; any other lunisolar date is ``lunisolar_unsupported``, never a wrong guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from aical.errors import DateError
from aical.messages import msg
from aical.model import Span

#: A (code, message) pair the engine raises while reading a date without failing.
Note = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Era:
    """One era: its name, Latin initial, and first and last day (None while current)."""

    name: str
    letter: str
    first_day: dt.date
    last_day: dt.date | None

    @property
    def offset(self) -> int:
        """Add the era year to get the Gregorian year (元年 = year 1)."""
        return self.first_day.year - 1


ERAS: tuple[Era, ...] = (
    # 明治 applied retroactively from 慶応4年1月1日 (lunisolar), which was 1868-01-25.
    Era("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    Era("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", dt.date(2019, 5, 1), None),
)

#: Era by kanji name and by Latin initial (upper and lower case).
ERA_BY_NAME: dict[str, Era] = {
    **{era.name: era for era in ERAS},
    **{era.letter: era for era in ERAS},
    **{era.letter.lower(): era for era in ERAS},
}

#: Pre-Meiji era names: recognised so that they get ``unsupported_era``, not ``no_date``.
OLDER_ERAS = ("慶応", "元治", "文久", "万延", "安政", "嘉永", "弘化", "天保")

MEIJI = ERA_BY_NAME["明治"]

# Lunisolar months of 明治1–5 known exactly: (era year, month) → (Gregorian first day,
# days that took place). 明治5年12月 lasted two days (1872-12-30, 31) before the switch;
# 明治元年1月 (= 慶応4年1月) began on 1868-01-25, and every lunisolar month has ≥ 29 days.
_LUNISOLAR_MONTHS: dict[tuple[int, int], tuple[dt.date, int]] = {
    (1, 1): (dt.date(1868, 1, 25), 29),
    (5, 12): (dt.date(1872, 12, 30), 2),
}

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_TOO_LONG = 10**12


def to_int(numeral: str) -> int:
    """An integer from ASCII, kanji (二十八, 十二), positional kanji (一〇, 二〇二〇) or a mix.

    Full-width digits must already be folded to ASCII (NFKC). ``元`` is 1 (元年).
    A numeral of more than 12 digits is no year, month or day of any calendar: it reads as
    10**12, which every check rejects (and Python's int() refuses beyond 4,300 digits).
    """
    if len(numeral) > 12:
        return _TOO_LONG
    if numeral.isascii():
        return int(numeral)
    if numeral == "元":
        return 1
    total = 0
    pending = 0
    for ch in numeral:
        if ch in _KANJI_UNITS:
            total += (pending or 1) * _KANJI_UNITS[ch]
            pending = 0
        elif ch in _KANJI_DIGITS:
            pending = pending * 10 + _KANJI_DIGITS[ch]
        else:
            pending = pending * 10 + int(ch)
    return total + pending


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def era_label(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


def _check_era_year(era: Era, year: int, text: str) -> int:
    """The Gregorian year of ``era`` year ``year``, or DateError(invalid_year)."""
    if year < 1:
        raise DateError("invalid_year", msg("dates.no_year_in_era", era=era.name, year=year),
                        text)
    gregorian = era.offset + year
    if gregorian > 9999:
        raise DateError("invalid_year", msg("dates.beyond_9999", era=era.name, year=year), text)
    return gregorian


def _check_era_bounds(era: Era, year: int, first: dt.date, last: dt.date, text: str,
                      strict: bool) -> tuple[dt.date, dt.date, tuple[Note, ...]]:
    """Clip [first, last] to the era; raise if it lies wholly outside it.

    Lenient mode keeps a span that lies after the era's end and notes it; strict rejects it.
    """
    if last < era.first_day:
        raise DateError("before_era_start",
                        msg("dates.before_era_start", text=text, era=era.name,
                            first=era.first_day.isoformat()), text)
    if first < era.first_day:
        first = era.first_day
    if era.last_day is not None and last > era.last_day:
        if first > era.last_day:
            message = msg("dates.after_era_end", text=text, era=era.name,
                          last=era.last_day.isoformat(), label=era_label(era, year),
                          year=first.year)
            if strict:
                raise DateError("after_era_end", message, text)
            return first, last, (("after_era_end", message),)
        last = era.last_day
    return first, last, ()


def era_day(era: Era, year: int, month: int, day: int, *, text: str = "",
            strict: bool = False) -> tuple[dt.date, tuple[Note, ...]]:
    """One day written in an era: 令和2年12月28日 → 2020-12-28, with notes."""
    gregorian = _check_era_year(era, year, text)
    if not 1 <= month <= 12:
        raise DateError("invalid_date", msg("dates.no_month", text=text, month=month), text)
    if era is MEIJI and year <= 5:
        return _lunisolar_day(year, month, day, text), ()
    try:
        date = dt.date(gregorian, month, day)
    except ValueError:
        raise DateError("invalid_date", msg("dates.no_day", text=text, year=gregorian,
                                            month=month, day=day), text) from None
    first, _, notes = _check_era_bounds(era, year, date, date, text, strict)
    if first != date:  # the day precedes the era: clipping is only for months and years
        raise DateError("before_era_start",
                        msg("dates.before_era_start", text=text, era=era.name,
                            first=era.first_day.isoformat()), text)
    return date, notes


def _lunisolar_day(year: int, month: int, day: int, text: str) -> dt.date:
    if not 1 <= day <= 30:
        raise DateError("invalid_date", msg("dates.lunisolar_no_day", text=text, day=day), text)
    known = _LUNISOLAR_MONTHS.get((year, month))
    if known is not None:
        first, length = known
        if day <= length:
            return first + dt.timedelta(days=day - 1)
        if (year, month) == (5, 12):
            raise DateError("nonexistent_date", msg("dates.nonexistent", text=text), text)
    raise DateError("lunisolar_unsupported", msg("dates.lunisolar_day", text=text), text)


def era_month(era: Era, year: int, month: int, *, text: str = "",
              strict: bool = False) -> tuple[dt.date, dt.date, tuple[Note, ...]]:
    """A whole month (令和2年8月 → 2020-08-01..2020-08-31), clipped to the era."""
    gregorian = _check_era_year(era, year, text)
    if not 1 <= month <= 12:
        raise DateError("invalid_date", msg("dates.no_month", text=text, month=month), text)
    if era is MEIJI and year <= 5:
        raise DateError("lunisolar_unsupported", msg("dates.lunisolar", text=text), text)
    first = dt.date(gregorian, month, 1)
    last = dt.date(gregorian, month, _days_in_month(gregorian, month))
    return _check_era_bounds(era, year, first, last, text, strict)


def era_year(era: Era, year: int, *, text: str = "",
             strict: bool = False) -> tuple[dt.date, dt.date, tuple[Note, ...]]:
    """A whole year (令和元年 → 2019-05-01..2019-12-31), clipped to the era."""
    gregorian = _check_era_year(era, year, text)
    if era is MEIJI and year <= 5:
        raise DateError("lunisolar_unsupported", msg("dates.lunisolar", text=text), text)
    return _check_era_bounds(era, year, dt.date(gregorian, 1, 1), dt.date(gregorian, 12, 31),
                             text, strict)


def era_fiscal_year(era: Era, year: int, *, text: str = "",
                    strict: bool = False) -> tuple[FiscalYear, tuple[Note, ...]]:
    """令和2年度 → FiscalYear(2020). 令和元年度 is valid (named after the calendar year it
    starts in); 平成32年度 is after the era's end (noted, or rejected when strict)."""
    gregorian = _check_era_year(era, year, text)
    if era is MEIJI and year <= 5:
        raise DateError("lunisolar_unsupported", msg("dates.lunisolar", text=text), text)
    fiscal_year = FiscalYear(gregorian)
    notes: tuple[Note, ...] = ()
    if fiscal_year.last_day < era.first_day:
        raise DateError("before_era_start",
                        msg("dates.fiscal_year_before_era", text=text, era=era.name,
                            first=era.first_day.isoformat()), text)
    if era.last_day is not None and fiscal_year.first_day > era.last_day:
        message = msg("dates.fiscal_year_after_era", text=text, era=era.name,
                      last=era.last_day.isoformat(), label=fiscal_year.label,
                      first_day=fiscal_year.first_day.isoformat(),
                      last_day=fiscal_year.last_day.isoformat())
        if strict:
            raise DateError("after_era_end", message, text)
        notes = (("after_era_end", message),)
    return fiscal_year, notes


def era_of(date: dt.date) -> Era:
    """The era in force on ``date`` (明治 for any day before 大正)."""
    for era in reversed(ERAS):
        if date >= era.first_day:
            return era
    return ERAS[0]


def western_year(year: int, text: str = "") -> int:
    if not 1 <= year <= 9999:
        raise DateError("invalid_year", msg("dates.year_out_of_range", text=text, year=year),
                        text)
    return year


@dataclass(frozen=True, slots=True, order=True)
class FiscalYear:
    """A Japanese fiscal year (年度): April 1 of ``start_year`` to March 31 of the next.

    FiscalYear(2020) is 令和2年度 (FY2020), 2020-04-01 to 2021-03-31.
    """

    start_year: int

    def __post_init__(self) -> None:
        # its last day falls in the next calendar year, which must still be a valid year
        if not 1 <= self.start_year <= 9998:
            raise DateError("invalid_year", msg("dates.fiscal_year_out_of_range",
                                                year=self.start_year), str(self.start_year))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def span(self) -> Span:
        return Span(self.first_day, self.last_day, "fiscal_year")

    @property
    def era(self) -> Era:
        """The era the year is named in: the one in force at the end of its first calendar
        year (FY2019 is 令和元年度, FY1988 is 昭和63年度)."""
        return era_of(dt.date(self.start_year, 12, 31))

    @property
    def era_year(self) -> int:
        return self.start_year - self.era.offset

    @property
    def label(self) -> str:
        """令和2年度, 令和元年度."""
        year = self.era_year
        return f"{self.era.name}{'元' if year == 1 else year}年度"

    @property
    def short(self) -> str:
        """R2, H31: the form ``--year`` takes."""
        return f"{self.era.letter}{self.era_year}"

    def __str__(self) -> str:
        return f"FY{self.start_year}"

    def contains(self, date: dt.date) -> bool:
        return self.first_day <= date <= self.last_day

    @classmethod
    def parse(cls, value: str | int) -> FiscalYear:
        """R2, r2, 令和2, 令和2年度, 令和元年度, H31, 2020, 2020年度, FY2020 → FiscalYear(2020)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(western_year(value, str(value)))
        import unicodedata

        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        match = _FISCAL_YEAR_FORMS.fullmatch(text)
        if match is None:
            raise DateError("no_date", msg("dates.not_a_fiscal_year", value=repr(value)),
                            str(value))
        if match["western"]:
            return cls(western_year(int(match["western"]), text))
        era = ERA_BY_NAME[match["era"]]
        fiscal_year, _ = era_fiscal_year(era, to_int(match["year"]), text=text)
        return fiscal_year


_FISCAL_YEAR_FORMS = re.compile(
    r"(?:(?:FY|fy)?(?P<western>\d{4})(?:年度?)?)"
    r"|(?:(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])(?P<year>\d{1,3}|元)(?:年度?)?)"
)


def fiscal_year_of(date: dt.date) -> FiscalYear:
    """The fiscal year (年度) a day falls in: January–March belong to the year before."""
    return FiscalYear(date.year if date.month >= 4 else date.year - 1)
