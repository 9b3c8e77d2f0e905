"""The document model: what every reader produces and every recogniser reads.

A :class:`Document` is a sequence of blocks in reading order. Each block knows where it
came from (:class:`Location`: file, page, line, or sheet and cell), so a warning or an
event can point a person at the place in the original file. Plain frozen dataclasses, no
I/O: readers (``aical.read``) build them, the extractor (``aical.extract``) reads them.

Text in blocks is as the author wrote it, repaired only of damage the format did (PDF
glyph look-alikes, hyphenated wraps); folding for matching happens in the extractor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields


def pickled_by_fields(cls):
    """Have ``cls`` (a frozen, slotted dataclass) pickled as a call of itself with its
    fields: loading is then about twice as fast as with a slotted dataclass's own state
    functions, which run in Python. A big document's outline crosses a pipe between two
    processes item by item (:func:`aical.workers.stream_forked`)."""
    if not all(f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: a field that is no argument cannot be pickled so")
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(map(self.__getattribute__, names))

    cls.__reduce__ = __reduce__
    return cls


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Location:
    """Where a block (or a cell) was written. ``line`` is 1-based and counts ``"\\n"``
    (for a PDF: the line of the page's text); ``cell`` is an A1 reference (``B4``)."""

    file: str
    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        """Compiler style: ``report.pdf:p3:12``, ``schedule.xlsx:予定!B4``, ``a.txt:98``."""
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.sheet is not None or self.cell is not None:
            parts.append("!".join(p for p in (self.sheet, self.cell) if p))
        if self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: ``level`` 1 is outermost; ``marker`` is its numbering as written
    (``1``, ``(1)``, ``ア``, ``第2章``, or ``""``); ``text`` is the name without it."""

    level: int
    marker: str
    text: str
    at: Location


@dataclass(frozen=True, slots=True)
class ListItem:
    """A list item: ``depth`` 0 is the outermost list; ``marker`` as written (``・``, ``-``,
    ``1.``, ``①``, or ``""`` for an HTML ``<li>``)."""

    depth: int
    marker: str
    text: str
    at: Location


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell. ``date`` is set where the format stores a real date (an Excel date
    cell); ``text`` is always what a person sees (line breaks inside a cell kept as
    ``"\\n"``). A merged cell's text is repeated into every cell it covers."""

    text: str
    at: Location
    date: dt.date | None = None
    time: dt.time | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table with its spans resolved: ``header`` rows (zero or more) above body ``rows``,
    every row as long as the widest; ``caption`` as written, if any."""

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    at: Location
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """One ``label：value`` pair of a field block (``日時：令和2年…``)."""

    label: str
    value: str
    at: Location


@dataclass(frozen=True, slots=True)
class Fields:
    """A field block: label → value pairs that belong together (a notice's 日時 / 場所 /
    議題, an HTML ``<dl>``), in the order written."""

    fields: tuple[Field, ...]
    at: Location


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text: one written line of a text file, or a paragraph of a page."""

    text: str
    at: Location


Block = Heading | ListItem | Table | Fields | Paragraph


@dataclass(frozen=True)
class Document:
    """One input file as blocks.

    ``name`` is the file name as the user knows it (relative to the input folder, never an
    absolute path); ``kind`` is the reader that made it (``text``, ``markdown``, ``pdf``,
    ``html``, ``docx``, ``xlsx``, ``ocr``); ``encoding`` the codec or format detail;
    ``notes`` are (code, message, location) the reader wants a person to see (OCR text
    that needs checking, a skipped sheet …); ``date`` the day the file's metadata says it
    was made, if any.
    """

    name: str
    kind: str
    blocks: tuple[Block, ...]
    encoding: str = ""
    title: str | None = None
    notes: tuple[tuple[str, str, Location], ...] = field(default=())
    #: The day the file says it was made (a PDF's CreationDate, a Word or Excel file's
    #: core properties, an HTML page's date meta): the last resort for the year of
    #: dates written without one, when the text itself names no year.
    date: dt.date | None = None


def plausible_day(text: str) -> dt.date | None:
    """The day a metadata stamp starts with (``20251127…``, ``2025-11-27T…``), or None
    when it is not one: empty stamps, zero dates and the epochs some tools write
    (1904, 1970) say nothing of when a document was made."""
    digits = text[:10].replace("-", "")[:8]
    if len(digits) < 8 or not digits.isdigit():
        return None
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return day if 1980 <= day.year <= 2200 else None
