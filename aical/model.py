"""Plain data that flows between aical's stages: frozen dataclasses, no behaviour beyond views.

Convention: days are **inclusive** everywhere here (``first_day`` .. ``last_day``). The
exclusive DTEND of iCalendar is computed in exactly one place, :mod:`aical.publish.ics`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aical.document import pickled_by_fields

if TYPE_CHECKING:  # era imports this module; the annotation alone needs FiscalYear
    from aical.dates.era import FiscalYear

#: How much of a date was written, finest first: ``day`` (令和2年7月14日),
#: ``part_of_month`` (6月上旬 1–10, 中旬 11–20, 下旬/末 21–end), ``month`` (令和2年8月),
#: ``quarter`` (第1四半期: a fiscal quarter, April–June), ``season`` (春 March–May, 夏
#: June–August, 秋 September–November, 冬 December–February), ``year`` (令和2年) or
#: ``fiscal_year`` (令和2年度, April 1 to March 31). Approximate words (頃, 予定, ``xx`` days)
#: keep the precision of what they qualify and are told by the ``approximate`` note.
PRECISIONS = ("day", "part_of_month", "month", "quarter", "season", "year", "fiscal_year")

#: Precisions that say the days are not fixed yet: an event written so is ``tentative``.
APPROXIMATE_PRECISIONS = ("part_of_month", "quarter", "season")

#: Where an event stands, as the text says it: ``confirmed`` (the default), ``tentative``
#: (an approximate date, 予定, 案, 未定), ``cancelled`` (中止) or ``postponed`` (延期; on its
#: new date when the text gives one). See :mod:`aical.extract.status`.
STATUSES = ("confirmed", "tentative", "cancelled", "postponed")

#: How a meeting was held, and how each mode reads in Japanese. ``written`` is 書面開催:
#: a written-resolution period, when members vote on papers rather than meet. ``hybrid`` is a
#: room and an online link (会議室＋Zoom) at once.
MODE_LABELS = {
    "written": "書面開催",
    "in_person": "対面開催",
    "online": "オンライン開催",
    "hybrid": "ハイブリッド開催",
    "bulletin": "LGWAN掲示板",
    "video": "動画配信",
}
MODES = tuple(MODE_LABELS)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A run of whole days, both ends inclusive, and the precision it was written with."""

    first_day: dt.date
    last_day: dt.date
    precision: str = "day"

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return self.first_day.isoformat()
        return f"{self.first_day.isoformat()}/{self.last_day.isoformat()}"

    @property
    def days(self) -> int:
        """Number of days covered (1 for a single day)."""
        return (self.last_day - self.first_day).days + 1

    def to_json(self) -> dict:
        return {
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "precision": self.precision,
        }


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Warning:  # noqa: A001 - the design's name; shadows the builtin only inside importers
    """Something a person should look at; it never stops a build unless ``--strict``."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    page: int | None = None  # for a PDF: the page, and ``line`` is the line on that page

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """``FILE:LINE: CODE: message``, the message in ``lang``; the code never changes."""
        from aical.messages import render

        message = render(self.message, lang)
        where = _where(self.file, self.page, self.line)
        return f"{where}: {self.code}: {message}" if where else f"{self.code}: {message}"

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "file": self.file,
                "page": self.page, "line": self.line}


def _where(file: str | None, page: int | None, line: int | None) -> str:
    """Compiler style, as :class:`aical.document.Location` shows it: ``report.pdf:p3:12``."""
    parts = [file, None if page is None else f"p{page}", line]
    return ":".join(str(p) for p in parts if p is not None)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression found in running text.

    ``line`` is 1-based; ``start``/``end`` are column offsets into that line (end exclusive).
    ``notes`` are (code, message) pairs the engine raised while reading it, such as a date
    after its era ended or a weekday that contradicts the date.
    """

    line: int
    start: int
    end: int
    text: str
    span: Span
    notes: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict:
        return {"line": self.line, "column": self.start + 1, "text": self.text,
                **self.span.to_json(),
                "notes": [{"code": code, "message": message} for code, message in self.notes]}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """Where an event was written: file name as given, 1-based line; for a PDF also the
    page, and ``line`` then counts the lines of that page."""

    file: str
    line: int
    page: int | None = None

    def __str__(self) -> str:
        return _where(self.file, self.page, self.line)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Event:
    """A dated meeting or activity of one body.

    ``body`` is the heading path, outermost first; its last part is the body's own name.
    ``span`` is inclusive. ``start_time``/``end_time`` are set only where a time was written.
    ``status`` is one of :data:`STATUSES`.
    """

    uid: str
    body: tuple[str, ...]
    summary: str
    span: Span
    mode: str | None = None
    venue: str | None = None
    agenda: tuple[str, ...] = ()
    source: Source = Source("", 0)
    original: str = ""
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    status: str = "confirmed"

    @property
    def first_day(self) -> dt.date:
        return self.span.first_day

    @property
    def last_day(self) -> dt.date:
        return self.span.last_day

    @property
    def precision(self) -> str:
        return self.span.precision

    def to_json(self) -> dict:
        """The event as DESIGN.md's JSON contract spells it."""
        data = {
            "uid": self.uid,
            "body": list(self.body),
            "summary": self.summary,
            **self.span.to_json(),
            "status": self.status,
            "mode": self.mode,
            "venue": self.venue,
            "agenda": list(self.agenda),
            "source": {"file": self.source.file, "page": self.source.page,
                       "line": self.source.line},
            "original": self.original,
        }
        if self.start_time is not None:
            data["start_time"] = self.start_time.isoformat(timespec="minutes")
        if self.end_time is not None:
            data["end_time"] = self.end_time.isoformat(timespec="minutes")
        return data


def event_order(event: Event) -> tuple:
    """The one order of events in every output (feeds, page, JSON, CSV): by first and last
    day, then body, summary and uid — total, so output never depends on input order."""
    return (event.first_day, event.last_day, event.body, event.summary, event.uid)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Body:
    """A body that meets (総会, 幹事会, a 事業部会 …): identified by its heading path."""

    path: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Report:
    """Everything read from one document: its fiscal year, bodies, events and warnings.

    ``fiscal_year`` is the year the document reports on (from its title, or given by the
    caller); ``bodies`` includes bodies with no events (開催実績なし) so they still get a feed.
    """

    file: str
    title: str
    fiscal_year: FiscalYear | None
    bodies: tuple[Body, ...] = ()
    events: tuple[Event, ...] = ()
    warnings: tuple[Warning, ...] = field(default=())

