"""aical: Japanese public-sector reports → subscribable calendars, a printable year, open data.

The library API (the CLI is a thin layer over it):

- :func:`parse` — one date or range (era-aware) → :class:`Span`, or :class:`DateError`
- :func:`find_dates` — every date expression in running text
- :class:`FiscalYear`, :func:`fiscal_year_of` — 年度, April 1 to March 31

Names are imported on first use (PEP 562) so that ``aical parse`` starts fast.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "parse": "aical.dates.spans",
    "find_dates": "aical.dates.finder",
    "FiscalYear": "aical.dates.era",
    "fiscal_year_of": "aical.dates.era",
    "DateError": "aical.errors",
    "Error": "aical.errors",
    "InputError": "aical.errors",
    "Body": "aical.model",
    "DateMatch": "aical.model",
    "Event": "aical.model",
    "Report": "aical.model",
    "Span": "aical.model",
    "Warning": "aical.model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'aical' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
