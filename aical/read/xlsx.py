"""Excel (.xlsx) → :class:`~aical.document.Document`, through openpyxl in read-only mode
(imported only here).

- **Each visible sheet is one** :class:`Table` (hidden sheets are left out), its caption
  the sheet's name; the rows above the header (a title row such as ``令和2年度 会議日程``)
  become paragraphs before it.
- **The header row** is the first row, within the first :data:`HEADER_SEARCH` rows, that
  has at least two filled cells, all of them short text (no dates, no numbers), with a
  row holding a date or number below it.
- **Date cells are real dates** (:attr:`Cell.date`, and :attr:`Cell.time` for a time of
  day); the cell's text is what Excel shows: ``2020/5/26`` for a plain date format,
  ``令和2年5月26日`` for the era formats (``ggge"年"m"月"d"日"``, ``[$-ja-JP]…``).
- **Merged cells** are resolved: the top-left cell's value is repeated over the range
  (read from the sheet's ``<mergeCells>``, which read-only mode does not give).
- **Limits**: at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns per sheet;
  reading stops after :data:`MAX_EMPTY_RUN` empty rows in a row (a sheet whose dimension
  says a million rows of nothing ends there, in a bounded run). The ZIP was checked for
  bombs first (:mod:`aical.read.office`).

A cell's :class:`Location` names its sheet and A1 reference (``schedule.xlsx:予定!B4``).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from aical.document import Cell, Document, Location, Paragraph, Table
from aical.errors import InputError
from aical.messages import msg

MAX_ROWS = 100_000
MAX_COLUMNS = 500
MAX_EMPTY_RUN = 5_000
HEADER_SEARCH = 20
_ERA_FORMAT = re.compile(r"g|\[\$-(?:ja-JP|411|[0-9A-Fa-f]*0411)[^\]]*\]", re.IGNORECASE)
_TIME_FORMAT = re.compile(r"h|AM/PM|午前/午後", re.IGNORECASE)
_DATE_FORMAT = re.compile(r"[ymd]", re.IGNORECASE)


def xlsx_document(data: bytes, name: str) -> Document:
    """An .xlsx file's bytes as a document; every failure is an :class:`InputError`."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError(name, msg("xlsx.no_openpyxl"),
                         hint=msg("read.hint_install", package="openpyxl")) from None
    import warnings

    blocks: list = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                for sheet in book.worksheets:
                    if getattr(sheet, "sheet_state", "visible") != "visible":
                        continue
                    merges = _merges(data, getattr(sheet, "_worksheet_path", None))
                    blocks.extend(_sheet_blocks(sheet, merges, name))
            finally:
                book.close()
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on damage
        raise InputError(name, msg("xlsx.damaged", kind=type(error).__name__,
                                   detail=str(error)[:80]),
                         hint=msg("read.hint_resave_office")) from None
    return Document(name, "xlsx", tuple(blocks), encoding="xlsx")


def _merges(data: bytes, part: str | None) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range of one sheet part."""
    if not part:
        return []
    import zipfile

    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            stream = archive.open(part.lstrip("/"))
        except KeyError:
            return []
        with stream:
            for _, element in etree.iterparse(stream, events=("end",), huge_tree=False,
                                              resolve_entities=False, no_network=True):
                if element.tag.endswith("}mergeCell"):
                    ref = element.get("ref", "")
                    try:
                        min_col, min_row, max_col, max_row = range_boundaries(ref)
                    except (ValueError, TypeError):
                        continue
                    out.append((min_row, min_col, min(max_row, MAX_ROWS),
                                min(max_col, MAX_COLUMNS)))
                elif element.tag.endswith("}row"):
                    element.clear()  # rows are openpyxl's business: keep memory flat
    return out


def _shown(value, number_format: str) -> tuple[str, dt.date | None, dt.time | None]:
    """(text as Excel shows it, date, time) of a cell value."""
    if value is None:
        return "", None, None
    if isinstance(value, dt.datetime):
        date, time = value.date(), value.time()
        has_time = bool(_TIME_FORMAT.search(number_format or "")) or time != dt.time(0)
        has_date = bool(_DATE_FORMAT.search(number_format or "")) or not has_time
        text = _date_text(date, number_format) if has_date else ""
        if has_time:
            text = (text + " " if text else "") + f"{time.hour}:{time.minute:02d}"
        return text, date if has_date else None, time if has_time else None
    if isinstance(value, dt.date):
        return _date_text(value, number_format), value, None
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}", None, value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None, None
    return str(value).replace("\r\n", "\n").replace("\r", "\n"), None, None


def _date_text(date: dt.date, number_format: str) -> str:
    """The date as its format shows it: era formats in the era (令和2年5月26日), others as
    2020/5/26 (the Japanese locale's short date)."""
    if number_format and _ERA_FORMAT.search(number_format):
        from aical.dates.era import era_label, era_of

        era = era_of(date)
        year = date.year - era.offset
        return f"{era_label(era, year)}{date.month}月{date.day}日"
    return f"{date.year}/{date.month}/{date.day}"


def _sheet_blocks(sheet, merges, name: str) -> list:
    title = sheet.title
    grid: list[list[tuple[str, dt.date | None, dt.time | None]]] = []
    empty_run = 0
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        values = [_shown(c.value, getattr(c, "number_format", "") or "") if
                  getattr(c, "value", None) is not None else ("", None, None) for c in row]
        if any(v[0] for v in values):
            empty_run = 0
        else:
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
        grid.append(values)
        if len(grid) >= MAX_ROWS:
            break
    while grid and not any(v[0] for v in grid[-1]):
        grid.pop()
    if not grid:
        return []
    width = max(len(r) for r in grid)
    while width and not any(len(r) >= width and r[width - 1][0] for r in grid):
        width -= 1
    if not width:
        return []
    cells = [[_cell(r, c, row, title, name) for c in range(width)]
             for r, row in enumerate(grid)]
    for min_row, min_col, max_row, max_col in merges:
        if min_row - 1 >= len(cells) or min_col - 1 >= width:
            continue
        top = cells[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(cells))):
            for c in range(min_col - 1, min(max_col, width)):
                cells[r][c] = top
    head = _header_row(cells)
    blocks: list = []
    start = 0
    if head is not None:
        for row in cells[:head]:
            texts = [c.text for i, c in enumerate(row) if c.text and (i == 0 or c is not row[i - 1])]
            if texts:
                blocks.append(Paragraph("　".join(texts), row[0].at))
        start = head
    header = (tuple(cells[start]),) if head is not None else ()
    body = tuple(tuple(row) for row in cells[start + (1 if head is not None else 0):]
                 if any(c.text for c in row))
    blocks.append(Table(header, body, Location(name, sheet=title, cell="A1"), caption=title))
    return blocks


def _cell(r: int, c: int, row, title: str, name: str) -> Cell:
    from openpyxl.utils.cell import get_column_letter

    text, date, time = row[c] if c < len(row) else ("", None, None)
    return Cell(text, Location(name, sheet=title, cell=f"{get_column_letter(c + 1)}{r + 1}"),
                date, time)


def _header_row(cells) -> int | None:
    """The index of the header row (see the module docstring), or None."""
    for r, row in enumerate(cells[:HEADER_SEARCH]):
        filled = [c for c in row if c.text]
        distinct = {id(c) for c in filled}
        if len(distinct) < 2:
            continue
        if any(c.date or c.time or re.fullmatch(r"[\d.,\s/:-]+", c.text) or len(c.text) > 30
               for c in filled):
            continue
        below = cells[r + 1:r + 1 + HEADER_SEARCH]
        if any(c.date or re.search(r"\d", c.text) for row2 in below for c in row2):
            return r
    return None


__all__ = ["MAX_COLUMNS", "MAX_EMPTY_RUN", "MAX_ROWS", "xlsx_document"]
