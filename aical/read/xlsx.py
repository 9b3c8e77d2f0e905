"""Excel (.xlsx) → :class:`~aical.document.Document`, through openpyxl in read-only mode
(imported only here).

- **Each visible sheet is one** :class:`Table` (hidden sheets are left out), its caption
  the sheet's name; the rows above the header (a title row such as ``令和2年度 会議日程``)
  become paragraphs before it.
- **The header row** is the first row, within the first :data:`HEADER_SEARCH` rows, that
  has at least two filled cells, all of them short text (no dates, no numbers), with a
  row holding a date or number below it.
- **Date cells are real dates** (:attr:`Cell.date`, and :attr:`Cell.time` for a time of
  day); the cell's text is what its number format shows (:func:`_date_text`):
  ``令和2年5月26日`` for ``ggge"年"m"月"d"日"``, ``R2.5.26`` for ``ge.m.d``, ``2020/5/26``
  for the built-in short date as the Japanese locale shows it; a serial number under one
  of the Japanese locale's built-in date formats (:data:`JA_BUILTIN_FORMATS`, which a
  Japanese Excel saves by number only) is read as its date. A format without a day
  (``ggge"年"m"月"`` → ``令和2年8月``) shows no day, and the tables recogniser reads such
  a cell as its month: Excel stores a day in every date, the format says which part the
  author meant. Formulas are read by the value Excel cached when it saved.
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
                    blocks.extend(_sheet_blocks(sheet, merges, name,
                                                getattr(book, "epoch", None)))
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


#: Excel's built-in number formats for the Japanese locale (ECMA-376 Part 1, 18.8.30):
#: a file saved by a Japanese Excel refers to them by number and does not write them out,
#: and openpyxl, not knowing them, reads the cell as a bare serial number (43977). Read
#: with their pattern, they are the dates they show.
JA_BUILTIN_FORMATS = {
    27: '[$-411]ge.m.d', 28: '[$-411]ggge"年"m"月"d"日"', 29: '[$-411]ggge"年"m"月"d"日"',
    30: "m/d/yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"時"mm"分"', 33: 'h"時"mm"分"ss"秒"',
    34: 'yyyy"年"m"月"', 35: 'm"月"d"日"', 36: '[$-411]ge.m.d', 50: '[$-411]ge.m.d',
    51: '[$-411]ggge"年"m"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: '[$-411]ggge"年"m"月"d"日"', 55: 'yyyy"年"m"月"', 56: 'm"月"d"日"',
    57: '[$-411]ge.m.d', 58: '[$-411]ggge"年"m"月"d"日"',
}


def _value(cell, epoch) -> tuple[object, str]:
    """(value, number format) of a read-only cell, a serial number under a Japanese
    built-in date format read as its date (see :data:`JA_BUILTIN_FORMATS`)."""
    value = cell.value
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and number_format == "General" and 0 <= value < 2_958_466:  # up to 9999-12-31
        style = getattr(cell, "style_array", None)
        pattern = JA_BUILTIN_FORMATS.get(getattr(style, "numFmtId", 0))
        if pattern is not None:
            from openpyxl.utils.datetime import from_excel

            try:
                return (from_excel(value) if epoch is None else from_excel(value, epoch)), pattern
            except (ValueError, OverflowError):
                pass
    return value, number_format


def _shown(value, number_format: str) -> tuple[str, dt.date | None, dt.time | None]:
    """(text as Excel shows it, date, time) of a cell value."""
    if value is None:
        return "", None, None
    if isinstance(value, dt.datetime):
        date, time = value.date(), value.time()
        shows_date, shows_time = _format_shows(number_format)
        has_time = shows_time or time != dt.time(0)
        has_date = shows_date or not has_time
        if has_date:
            text = _date_text(date, number_format, time)
            if has_time and not shows_time:
                # a time of day the format hides is still the meeting's: shown after it
                text += f" {time.hour}:{time.minute:02d}"
        else:
            text = f"{time.hour}:{time.minute:02d}"
        return text, date if has_date else None, time if has_time else None
    if isinstance(value, dt.date):
        return _date_text(value, number_format), value, None
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}", None, value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None, None
    return str(value).replace("\r\n", "\n").replace("\r", "\n"), None, None


#: Excel's built-in date formats as the Japanese locale shows them (openpyxl hands out the
#: US pattern of the built-in number; a Japanese Excel shows 2020/5/26 for it).
_LOCALE_SHORT = {"mm-dd-yy": "yyyy/m/d", "m/d/yy h:mm": "yyyy/m/d h:mm",
                 "d-mmm-yy": "yyyy/m/d", "d-mmm": "m/d", "mmm-yy": "yyyy/m"}
_FORMAT_TOKEN = re.compile(
    r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|ggg|gg|g|ee?|yyyy|yyy|yy|y|mmmmm|mmmm|mmm|mm|m|'
    r"dddd|ddd|dd|d|aaaa|aaa|hh|h|ss|s|am/pm|a/p|午前/午後|.", re.IGNORECASE | re.DOTALL)
_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _date_text(date: dt.date, number_format: str, time: dt.time | None = None) -> str:
    """The date (and time) as the cell's number format shows it: era formats in the era
    (``ggge"年"m"月"d"日"`` → 令和2年5月26日, ``gge.m`` → 令2.5), a month-only format
    without its day (``yyyy"年"m"月"`` → 2020年5月), a plain date as 2020/5/26 (the Japanese
    locale's short date). Only what a format needs for dates is read: its first section,
    literals, era, year, month, day, weekday, hour, minute and second."""
    fmt = _locale_format(number_format)
    tokens = _FORMAT_TOKEN.findall(fmt)
    if not any(t[0].lower() in "gyemd" and not t.startswith(("[", '"')) for t in tokens) \
            or fmt.lower() == "general":
        tokens = _FORMAT_TOKEN.findall("yyyy/m/d")
    from aical.dates.era import era_of

    era = era_of(date) if date.year >= 1868 else None
    era_year = date.year - era.offset if era else date.year
    gannen = "gannen" in fmt.lower()
    clock = time or dt.time(0)
    has_ampm = any(t.lower() in ("am/pm", "a/p", "午前/午後") for t in tokens)
    out: list[str] = []
    for k, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith("_"):
            out.append(" ")
        elif token.startswith(("*", "[")):
            continue
        elif low in ("g", "gg", "ggg"):
            if era is not None:
                out.append({"g": era.letter, "gg": era.name[0], "ggg": era.name}[low])
        elif low in ("e", "ee"):
            out.append("元" if gannen and era_year == 1 else
                       f"{era_year:02d}" if low == "ee" else str(era_year))
        elif low in ("yyyy", "yyy"):
            out.append(str(date.year))
        elif low in ("yy", "y"):
            out.append(f"{date.year % 100:02d}")
        elif low in ("m", "mm") and _is_minute(tokens, k):
            out.append(f"{clock.minute:02d}" if low == "mm" else str(clock.minute))
        elif low == "m":
            out.append(str(date.month))
        elif low == "mm":
            out.append(f"{date.month:02d}")
        elif low in ("mmm", "mmmm", "mmmmm"):
            name = _EN_MONTHS[date.month - 1]
            out.append({"mmm": name[:3], "mmmm": name, "mmmmm": name[0]}[low])
        elif low == "d":
            out.append(str(date.day))
        elif low == "dd":
            out.append(f"{date.day:02d}")
        elif low in ("ddd", "dddd"):
            name = _EN_WEEKDAYS[date.weekday()]
            out.append(name[:3] if low == "ddd" else name)
        elif low == "aaa":
            out.append(_WEEKDAYS[date.weekday()])
        elif low == "aaaa":
            out.append(_WEEKDAYS[date.weekday()] + "曜日")
        elif low in ("h", "hh"):
            hour = clock.hour % 12 or 12 if has_ampm else clock.hour
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("s", "ss"):
            out.append(f"{clock.second:02d}" if low == "ss" else str(clock.second))
        elif low in ("am/pm", "a/p"):
            out.append(("AM" if clock.hour < 12 else "PM")[: 1 if low == "a/p" else 2])
        elif token == "午前/午後":
            out.append("午前" if clock.hour < 12 else "午後")
        else:
            out.append(token)
    return "".join(out).strip()


def _locale_format(number_format: str) -> str:
    """The first section of a number format, a built-in or system format replaced by the
    pattern a Japanese Excel shows for it."""
    fmt = (number_format or "").split(";")[0]
    low = fmt.lower()
    if "x-sysdate" in low:
        return 'yyyy"年"m"月"d"日"'
    if "x-systime" in low:
        return "h:mm:ss"
    return _LOCALE_SHORT.get(low, fmt)


def _format_shows(number_format: str) -> tuple[bool, bool]:
    """(shows a date, shows a time of day) for a number format."""
    tokens = _FORMAT_TOKEN.findall(_locale_format(number_format))
    date = time = False
    for k, token in enumerate(tokens):
        low = token.lower()
        if token.startswith(('"', "[", "\\", "_", "*")):
            continue
        if low in ("h", "hh", "s", "ss", "am/pm", "a/p", "午前/午後") or (
                low in ("m", "mm") and _is_minute(tokens, k)):
            time = True
        elif low[0] in "gyemd" or low in ("aaa", "aaaa"):
            date = True
    return date, time


def _is_minute(tokens: list[str], k: int) -> bool:
    """Whether ``m``/``mm`` at ``tokens[k]`` means minutes: right after an hour or right
    before a second (literals between them aside), as Excel reads it."""
    def near(step: int, wanted: tuple[str, ...]) -> bool:
        j = k + step
        while 0 <= j < len(tokens):
            low = tokens[j].lower()
            if low in wanted:
                return True
            if low[0] in "gyemdahs" and not tokens[j].startswith(('"', "[")):
                return False
            j += step
        return False
    return near(-1, ("h", "hh")) or near(1, ("s", "ss"))


def _sheet_blocks(sheet, merges, name: str, epoch=None) -> list:
    title = sheet.title
    grid: list[list[tuple[str, dt.date | None, dt.time | None]]] = []
    empty_run = 0
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        values = [_shown(*_value(c, epoch)) if getattr(c, "value", None) is not None
                  else ("", None, None) for c in row]
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
