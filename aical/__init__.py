"""aical: Japanese public-sector reports → subscribable calendars, a printable year, open data.

The library API (the CLI is a thin layer over it):

- :func:`parse` — one date or range (era-aware) → :class:`Span`, or :class:`DateError`
- :func:`find_dates` — every date expression in running text
- :class:`FiscalYear`, :func:`fiscal_year_of` — 年度, April 1 to March 31
"""

from aical.era import FiscalYear, fiscal_year_of
from aical.errors import DateError, Error, InputError
from aical.finder import find_dates
from aical.model import Body, DateMatch, Event, Report, Span, Warning
from aical.spans import parse

__all__ = [
    "Body", "DateError", "DateMatch", "Error", "Event", "FiscalYear", "InputError", "Report",
    "Span", "Warning", "find_dates", "fiscal_year_of", "parse",
]
