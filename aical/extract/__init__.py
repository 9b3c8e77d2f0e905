"""Document → events and warnings: the heading outline, the recognisers and the one event
builder. Pure functions; no file I/O, no iCalendar, no HTML."""

from aical.extract.report import extract_report

__all__ = ["extract_report"]
