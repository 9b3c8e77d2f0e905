"""Tables of meetings → findings for the event builder.

A table says which cell holds what in its header, so the recogniser first gives every
column a **role** from the header's words (:func:`column_roles`):

=========  ====================================================================
role       header words (the earliest one written in the cell wins)
=========  ====================================================================
``name``   会議名, 件名, 名称, 行事, 会議, 大会, 項目
``number`` 回 (a ``第N回`` column: ``3`` → ``第3回``)
``date``   開催日, 日時, 期日, 月日, 期間, 日程, 年月日 (議決年月日 …), 日付, 実施日
``month``  月 alone (a month column: ``６月 | 監事監査（８日）``)
``venue``  場所, 会場
``agenda`` 議題, 内容, 案件, 議事, 議決事項, 協議事項, 審議事項
``note``   方法, 形式, 備考 (how it was held: 書面開催, オンライン)
``body``   会議体, 事業, 所管, 主催, 団体, 部門 (whose meeting: ``全団体事業/幹事会`` → a path)
``skip``   a date column whose header says the date is no meeting's: 就任, 辞任, 任期,
           締切, 期限, 発行, 掲載, 施行, 公布, 契約, 更新 … (a 役員の異動 table)
=========  ====================================================================

Then each body row is read (:func:`_read_row`):

- its **date** from the date cells (an Excel date cell's own date first), else from any
  cell; a row giving only a day (``8日``, ``（８日）``, ``26・27日``) takes its month from
  a month cell of the row or the nearest row above;
- its **name** from the name cells (with the ``回`` column's ordinal), else from the other
  cells' text without the date; venue, agenda and note from their columns;
- **several meetings in one cell** (``監事監査（８日）\\n理事会（２０日）``, or one name and
  one date per written line) are one finding each;
- a row that names a meeting in a table that has dates but holds no readable date of its
  own is an :class:`~aical.extract.builder.Undated` finding (the builder warns ``no_date``).

A table without a name column whose rows list agenda items (a 議決結果一覧: bills, each with
its 議決年月日) is one meeting per distinct date, the items as its agenda. A table whose
first column holds field labels (``日時`` / ``会場`` rows of a notice) is a field block
and is read by :mod:`aical.extract.fields`. Header-less tables are read row by row as
lines: ``令和６年第４回定例会,11月29日-01号``.

Years: a row's own year (``令和６年…``) wins, then the last date above the table, then the
document's 年度. Which of several meetings a table row names, their mode, venue, times,
status and identity are the builder's.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from aical.dates.finder import scan_line
from aical.extract.builder import Candidate, Undated
from aical.extract.fields import from_pairs, label_role, own_body, reference_before
from aical.extract.outline import Line, fold, tidy
from aical.model import DateMatch, Span

if TYPE_CHECKING:
    from aical.dates.era import FiscalYear
    from aical.document import Cell, Location, Table
    from aical.extract.builder import Finding
    from aical.extract.outline import Outline, Placed

# --------------------------------------------------------------------------- column roles

_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("date", ("開催年月日", "開催日時", "開催日", "開催期間", "議決年月日", "年月日", "日時",
              "期日", "月日", "期間", "日程", "日付", "実施日", "実施期間", "開催時期", "時期",
              "開始日", "終了日", "最終日", "開始", "終了")),
    ("venue", ("開催場所", "場所", "会場")),
    ("agenda", ("議題", "内容", "案件", "議事", "議決事項", "協議事項", "審議事項", "議案")),
    ("note", ("開催方法", "開催形式", "方法", "形式", "備考")),
    ("name", ("会議名", "件名", "名称", "行事", "会議", "大会", "項目", "会合")),
    ("body", ("会議体", "事業", "所管", "主催", "団体", "部門", "所属")),
)
#: Dates no meeting is held on: appointments, terms, deadlines, publications, contracts.
_NOT_MEETING_DATE = re.compile(
    r"就任|辞任|退任|選任|任期|締切|締め切り|期限|発行|掲載|施行|公布|契約|更新|交付|"
    r"生年月日|受付|申込|提出|現在")
#: Days one table row's meeting may last: longer is a period the row reports (事業期間,
#: 自 4月1日 至 3月31日), not a meeting.
_LONGEST_ROW_SPAN = 200
_MONTH_ONLY = re.compile(r"\s*(\d{1,2})\s*月\s*(?:分|中)?\s*")
#: A day written without its month: ``8日``, ``（８日）``, ``26・27日``, ``8日～10日``.
_DAY_ONLY = re.compile(
    r"(?<![\d月/.])(\d{1,2})\s*日(?:\s*(?:[・、,]|から|[~〜～-])\s*(\d{1,2})\s*日)?")
#: ``監事監査（８日）``: a name and the day it was held, in brackets.
_NAMED_DAY = re.compile(r"([^()\n、,]+?)\s*\(\s*((?:\d{1,2}\s*月\s*)?\d{1,2}\s*日[^()]*?)\)")
_MEETING_WORD = re.compile(
    r"(?:会議|総会|部会|委員会|研究会|検討会|幹事会|理事会|協議会|審議会|説明会|研修会|"
    r"定例会|臨時会|本会議|大会|会)$|第\s*\d+\s*回")
#: Minutes listings name a day's volume (目次 = its table of contents) beside the day
#: itself; the table of contents is no meeting of its own.
_NOT_A_MEETING_ROW = re.compile(r"目次\s*$")


def _key(text: str) -> str:
    """Header text for matching: width folded, spaces and line breaks gone."""
    return re.sub(r"\s+", "", fold(text))


def role_of(header: str) -> str | None:
    """The role of a column from its header text (see the module docstring)."""
    key = _key(header)
    if not key:
        return None
    if key in ("回", "開催回", "回数") or (key.endswith("回") and len(key) <= 3):
        return "number"
    if key in ("月", "月別", "開催月"):
        return "month"
    best: tuple[int, int, str] | None = None
    for role, words in _ROLE_WORDS:
        for word in words:
            at = key.find(word)
            if at >= 0 and (best is None or (at, -len(word)) < (best[0], best[1])):
                best = (at, -len(word), role)
    if _NOT_MEETING_DATE.search(key) and (best is None or best[2] == "date"):
        return "skip"
    return best[2] if best is not None else None


def column_roles(header_rows: tuple[tuple[Cell, ...], ...]) -> list[str | None]:
    """A role per column, from the header rows' texts read top to bottom."""
    if not header_rows:
        return []
    width = max(len(r) for r in header_rows)
    roles: list[str | None] = []
    for col in range(width):
        parts: list[str] = []
        for row in header_rows:
            if col < len(row) and row[col].text.strip() and row[col].text not in parts:
                parts.append(row[col].text)
        roles.append(role_of("".join(parts)))
    return roles


# --------------------------------------------------------------------------- reading rows


@dataclass(slots=True)
class _Context:
    """What rows carry down a table: the reference date for year-less dates and the
    month a day-only row belongs to."""

    reference: dt.date | None
    month: tuple[int, int] | None = None  # (year, month)
    day: int = 0                          # the last day read in that month
    fiscal_year: FiscalYear | None = None


def _mid_year(year: int) -> dt.date:
    # A year-less date is read as the one nearest the reference: from 2 July every day of
    # the year is nearer than the same day of the year before or after.
    return dt.date(year, 7, 2)


def _distinct(cells: tuple[Cell, ...]) -> list[tuple[int, Cell]]:
    """The row's cells without the copies a merged cell leaves in the cells it covers."""
    out: list[tuple[int, Cell]] = []
    for i, cell in enumerate(cells):
        if not cell.text.strip() and cell.date is None:
            continue
        if out and out[-1][1].text == cell.text and out[-1][1].date == cell.date:
            continue
        out.append((i, cell))
    return out


def _scan(text: str, at: Location, reference: dt.date | None) -> list[DateMatch]:
    return scan_line(text, at.line or 0, reference=reference)


def _cell_match(cell: Cell) -> DateMatch | None:
    """The date an Excel cell stores as a date (its text may show it in any format). A
    format that shows no day (``ggge"年"m"月"`` → 令和2年8月) dates a month: the stored
    day is only where Excel keeps the month."""
    if cell.date is None:
        return None
    text = cell.text or cell.date.isoformat()
    span = Span(cell.date, cell.date, "day")
    shown = _dated(scan_line(text, cell.at.line or 0, reference=cell.date))
    if len(shown) == 1 and shown[0].span.precision == "month" \
            and shown[0].span.first_day <= cell.date <= shown[0].span.last_day:
        span = Span(shown[0].span.first_day, shown[0].span.last_day, "month")
    return DateMatch(cell.at.line or 0, 0, len(text), text, span)


def _day_matches(text: str, at: Location, ctx: _Context) -> list[DateMatch]:
    """Days written without a month (``8日``, ``26・27日``), read in the context month."""
    if ctx.month is None:
        return []
    year, month = ctx.month
    out = []
    for m in _DAY_ONLY.finditer(fold(text)):
        if int(m[1]) < ctx.day:
            # 28日 then 1日: the month turned without being written
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.extend(scan_line(f"{year}年{month}月{m[0]}", at.line or 0))
    return out


def _year_of(matches: list[DateMatch]) -> int | None:
    years = [m.span.first_day.year for m in matches if m.span.precision == "year"]
    return years[0] if years else None


def _dated(matches: list[DateMatch]) -> list[DateMatch]:
    """The matches that date a meeting: a day, a range of days or a month."""
    return [m for m in matches if m.span.precision in ("day", "month")]


def _rest(text: str, matches: list[DateMatch]) -> str:
    """``text`` without the dates found in it (what is left names the meeting)."""
    out, last = [], 0
    for m in sorted(_dated(matches), key=lambda m: m.start):
        if m.start >= last and m.end <= len(text) and text[m.start:m.end] == m.text:
            out.append(text[last:m.start])
            last = m.end
    out.append(text[last:])
    rest = "".join(out)
    rest = re.sub(r"[（(]\s*[月火水木金土日祝]\s*(?:曜日?)?\s*[)）]", "", rest)
    rest = re.sub(r"\s*[,，、\-－‐|]+\s*", " ", rest)
    return tidy(rest).strip(" ,、，:：-－‐")


@dataclass(frozen=True, slots=True)
class _Row:
    cells: tuple[Cell, ...]
    at: Location
    original: str


def recognise(placed: Placed, outline: Outline) -> list[Finding]:
    """Findings for one table (see the module docstring)."""
    table: Table = placed.block
    rows = list(table.header) + list(table.rows)
    if not rows:
        return []
    if _is_field_table(rows):
        pairs = []
        for row in rows:
            cells = [c for _, c in _distinct(row)]
            if cells:
                pairs.append((cells[0].text, " ".join(c.text for c in cells[1:]), cells[0].at))
        return from_pairs(pairs, placed, outline)
    marked = _marked_axis(rows, outline)
    if marked is not None:
        return _by_period(rows, marked, placed)
    header, body = _split_header(table)
    roles = column_roles(header)
    if not {"date", "name", "month"} & set(roles):
        # no header names the columns: a chart whose columns are periods, maybe
        axis = _period_axis(rows, outline)
        if axis is not None:
            return _by_period(rows, axis, placed)
    ctx = _Context(reference_before(placed, outline), fiscal_year=outline.fiscal_year)
    title = _table_title(table, placed, outline)
    if "skip" in roles and "date" not in roles:
        return []  # every date here is an appointment, a deadline, a term: none is a meeting
    if "date" in roles and "name" not in roles and "number" not in roles and "agenda" in roles:
        if _dates_repeat(body, roles, ctx):
            return _by_date(body, roles, ctx, title, placed, outline)
        # a schedule (月日 | 内容): what each day's row says it held names the meeting
        roles = ["name" if r == "agenda" else r for r in roles]
    findings: list[Finding] = []
    has_dates = "date" in roles or "month" in roles
    for cells in body:
        findings.extend(_read_row(cells, roles, ctx, title, placed, has_dates))
    if not roles and _few_days(findings):
        # a table without a header whose many rows share a few days: the continuation of
        # a list of items decided on those days (a 議決結果 table's next page)
        return _grouped(findings, title, placed, outline)
    return _unique(findings)


def _few_days(findings: list[Finding]) -> bool:
    days = [f.match.span for f in findings if isinstance(f, Candidate)]
    return len(days) >= 4 and len(set(days)) * 2 <= len(days)


def _grouped(findings: list[Finding], title: str, placed: Placed,
             outline: Outline) -> list[Finding]:
    """One meeting per day of ``findings``, their names as its agenda, each day once per
    document (earlier tables of the same list named it already)."""
    seen = _EMITTED.setdefault(outline, set())
    days: dict[Span, tuple[Candidate, list[str]]] = {}
    for f in findings:
        if isinstance(f, Candidate):
            entry = days.setdefault(f.match.span, (f, []))
            if f.name and f.name not in entry[1]:
                entry[1].append(f.name)
    out: list[Finding] = []
    for span, (first, names) in days.items():
        if span in seen:
            continue
        seen.add(span)
        out.append(Candidate(match=first.match, name=title, body=placed.path or own_body(title),
                             at=first.at,
                             original=f"{title} {first.match.text}", agenda=tuple(names[:50]),
                             context=title))
    return out


# --------------------------------------------------------------------------- period columns

#: What a cell of a chart must name to be a meeting rather than a step of work (契約締結,
#: 準備, 算定 are administration; 議会説明, 協議, 総会 are held with people).
_EVENT_WORDS = re.compile(
    r"会議|議会|総会|委員会|理事会|審議会|協議|説明|承認|審議|報告会|研修|訓練|監査|視察|"
    r"大会|講演|懇親会|交流会|見学|巡検|式典|祭|イベント|フォーラム|セミナー|ワークショップ")
#: What may head the label column of a chart's axis row (時刻 in a timetable).
_AXIS_LABEL = re.compile(r"時刻|時間|項目|区分|日程|月日?|年月|期間|スケジュール")
_PERIOD_REST = re.compile(r"^[\s()（）月火水木金土日祝曜]*$")
#: A cell that only marks its column (○ under 6月): the row's meeting is held some day of
#: that period, not yet fixed — a plan's 年間予定 draws its meetings so.
_MARK = re.compile(r"[○〇◯●◎]")


@dataclass(frozen=True, slots=True)
class _Axis:
    """The row of a chart whose cells are periods (``２月 | ３月 | 令和４年４月～令和５年３月``,
    or the days of a timetable), and each column's period."""

    row: int
    spans: dict[int, DateMatch]


def _period_of(text: str, at: Location, fiscal: int | None,
               reference: dt.date | None) -> DateMatch | None:
    """The period a chart's axis cell names, when the cell names nothing else; a month
    alone is read in the fiscal year above it (1–3月 in its second calendar year)."""
    folded = fold(text).strip()
    if not folded:
        return None
    mm = _MONTH_ONLY.fullmatch(folded)
    if mm and fiscal is not None and 1 <= int(mm[1]) <= 12:
        month = int(mm[1])
        year = fiscal + (1 if month < 4 else 0)
        read = [m for m in scan_line(f"{year}年{month}月", at.line or 0)
                if m.span.precision == "month"]
        return replace(read[0], text=text.strip(), start=0, end=len(text.strip())) \
            if read else None
    matches = _dated(scan_line(text, at.line or 0, reference=reference))
    if len(matches) != 1 or not _PERIOD_REST.match(_rest(text, matches)):
        return None
    return matches[0]


def _period_axis(rows: list[tuple[Cell, ...]], outline: Outline) -> _Axis | None:
    """The axis row among a chart's first rows: two or more distinct cells that are
    periods and nothing else, over at least two more rows. Fiscal years (２０２１年度) in a
    row above date its months."""
    fiscal: dict[int, int] = {}
    reference = outline.fiscal_year.first_day if outline.fiscal_year else None
    for r, row in enumerate(rows[:6]):
        if len(rows) - r < 3:
            break
        spans: dict[int, DateMatch] = {}
        other = False
        for c, cell in enumerate(row):
            year = fiscal.get(c, outline.fiscal_year.start_year if outline.fiscal_year else None)
            period = _period_of(cell.text, cell.at, year, reference)
            if period is not None:
                spans[c] = period
            elif cell.text.strip() and not _AXIS_LABEL.fullmatch(_key(cell.text)):
                other = True  # a row of a meeting (研修会 | 5月1日 | 5月3日), not an axis
        if not other and len({(m.span.first_day, m.span.last_day)
                              for m in spans.values()}) >= 2:
            return _Axis(r, spans)
        for c, cell in enumerate(row):
            for m in scan_line(cell.text, cell.at.line or 0):
                if m.span.precision == "fiscal_year":
                    fiscal[c] = m.span.first_day.year
    return None


def _marked_axis(rows: list[tuple[Cell, ...]], outline: Outline) -> _Axis | None:
    """The axis of a plan's chart that marks its meetings (会議名 | 4月 | 5月 | … with ○ under
    the months): a row among the first whose cells right of its labels are all periods (two
    or more), over rows that hold a mark under one of them. None for any other table."""
    reference = outline.fiscal_year.first_day if outline.fiscal_year else None
    year = outline.fiscal_year.start_year if outline.fiscal_year else None
    for r, row in enumerate(rows[:6]):
        spans: dict[int, DateMatch] = {}
        for c, cell in enumerate(row):
            period = _period_of(cell.text, cell.at, year, reference) if cell.text.strip() else None
            if period is not None:
                spans[c] = period
            elif spans and cell.text.strip():
                break  # text right of the periods: not an axis
        else:
            if len(spans) >= 2 and any(_MARK.fullmatch(below[c].text.strip())
                                       for below in rows[r + 1:] for c in spans
                                       if c < len(below)):
                return _Axis(r, spans)
    return None


def _by_period(rows: list[tuple[Cell, ...]], axis: _Axis, placed: Placed) -> list[Finding]:
    """One finding per meeting a chart draws under its period columns: a cell's text over
    the columns it covers (a merged cell repeats its text across and down; it is one
    meeting, over the union of its columns' periods). Cells left of the axis label the
    row: they are the body (南国市 › 議会)."""
    first_col = min(axis.spans)
    out: list[Finding] = []
    above: dict[int, str] = {}
    labels: list[str] = []
    for row in rows[axis.row + 1:]:
        left = [tidy(c.text) for c in row[:first_col] if c.text.strip()]
        if left:
            labels = list(dict.fromkeys(left))
        c = first_col
        while c < len(row):
            text = row[c].text.strip()
            end = c
            while end + 1 < len(row) and row[end + 1].text.strip() == text:
                end += 1
            cols = [k for k in range(c, end + 1) if k in axis.spans]
            repeated = text and all(above.get(k) == text for k in range(c, end + 1))
            if _MARK.fullmatch(text) and cols and labels:
                out.extend(_marked(row[c], [axis.spans[k] for k in cols], labels, placed))
            elif text and cols and not repeated and _EVENT_WORDS.search(fold(text)):
                periods = [axis.spans[k] for k in cols]
                first = min(periods, key=lambda m: m.span.first_day)
                last = max(periods, key=lambda m: m.span.last_day)
                written = first.text if first is last else f"{first.text}～{last.text}"
                match = replace(first, text=written,
                                span=Span(first.span.first_day, last.span.last_day,
                                          first.span.precision))
                out.append(Candidate(
                    match=match, name=tidy(text), body=placed.path + tuple(labels),
                    at=row[c].at, original=f"{tidy(text)}（{written}）", time_text=text,
                    context=text))
            c = end + 1
        above = {k: row[k].text.strip() for k in range(len(row))}
    return out


def _marked(cell: Cell, periods: list[DateMatch], labels: list[str],
            placed: Placed) -> list[Finding]:
    """A mark (○) under period columns: one tentative meeting per period, named by the row's
    label (its last left cell), the other labels its body. The day is not written, so the
    date carries the engine's ``approximate`` note, as ``2023.03.xx`` does."""
    from aical.dates.spans import _unknown_day  # the engine's own note for an unwritten day

    name = labels[-1]
    out: list[Finding] = []
    for period in periods:
        match = replace(period, notes=(*period.notes, _unknown_day(period.text)))
        out.append(Candidate(
            match=match, name=name, body=placed.path + tuple(labels[:-1]), at=cell.at,
            original=f"{name}（{period.text} {cell.text.strip()}）", context=name))
    return out


def _is_field_table(rows: list[tuple[Cell, ...]]) -> bool:
    """A notice laid out as a table: two or three columns wide, the first naming fields —
    a date field (日時, 開催日) and at least one more (場所, 議題), or only short labels
    (日時 / スケジュール) — and holding no date itself. Other rows (出席者, 議長)
    may sit between the fields."""
    # a PDF's grid may hold empty columns between the label and the value: count what
    # each row writes, not where
    written = [[c for _, c in _distinct(r)] for r in rows]
    if max(len(r) for r in written) > 3:
        return False
    firsts = [r[0] for r in written if r]
    roles = [label_role(c.text) for c in firsts]
    if not any(r in ("date", "both") for r in roles):
        return False
    if any(c.date or _dated(_scan(c.text, c.at, None)) for c in firsts):
        return False  # the first column holds dates: a schedule under a 日時 header
    # labels are short words (スケジュール, 参加費, 備考), never a date or a number
    return sum(r is not None for r in roles) >= 2 or all(
        len(c.text.strip()) <= 10 and not re.search(r"[0-9０-９]", c.text) for c in firsts)


def _split_header(table: Table) -> tuple[tuple[tuple[Cell, ...], ...], list[tuple[Cell, ...]]]:
    """The header rows the reader marked, else the first row when its cells name roles
    and hold no date."""
    if table.header:
        return table.header, list(table.rows)
    rows = list(table.rows)
    if rows:
        first = rows[0]
        roles = [role_of(c.text) for c in first]
        named = sum(1 for r in roles if r is not None)
        dated = any(c.date for c in first) or any(
            _dated(_scan(c.text, c.at, None)) for c in first)
        if named >= 2 and not dated and any(r in ("date", "month", "skip") for r in roles):
            return (first,), rows[1:]
    return (), rows


def _table_title(table: Table, placed: Placed, outline: Outline) -> str:
    """The name the table gives its meetings when a row names none: the caption, else the
    line above the table, else the document's title."""
    if table.caption and table.caption.strip():
        return tidy(table.caption)
    if placed.before is not None and placed.before.kind in ("heading", "prose") \
            and len(placed.before.text) <= 60 and "。" not in placed.before.text:
        return tidy(placed.before.heading.name if placed.before.heading
                    else placed.before.text)
    if placed.path:
        return placed.path[-1]
    return outline.title


def _role_cells(cells: tuple[Cell, ...], roles: list[str | None], role: str) -> list[Cell]:
    out: list[Cell] = []
    for i, cell in enumerate(cells):
        if i < len(roles) and roles[i] == role and cell.text.strip() \
                and all(cell.text != c.text for c in out):
            out.append(cell)
    return out


def _original(cells: tuple[Cell, ...]) -> str:
    return " | ".join(c.text.replace("\n", " ").strip() for _, c in _distinct(cells))


def _read_row(cells: tuple[Cell, ...], roles: list[str | None], ctx: _Context, title: str,
              placed: Placed, has_dates: bool) -> list[Finding]:
    distinct = _distinct(cells)
    if not distinct:
        return []
    at = distinct[0][1].at
    original = _original(cells)
    if _NOT_A_MEETING_ROW.search(fold(original)):
        return []
    # the row's month cell (a month table) sets the month its day-only cells belong to
    for cell in _role_cells(cells, roles, "month") or [
            c for _, c in distinct if _MONTH_ONLY.fullmatch(fold(c.text))]:
        mm = _MONTH_ONLY.fullmatch(fold(cell.text))
        year = _month_year(int(mm[1]), ctx) if mm and 1 <= int(mm[1]) <= 12 else None
        if year is not None:
            ctx.month, ctx.day = (year, int(mm[1])), 0
    date_cells = _role_cells(cells, roles, "date")
    if not date_cells:
        date_cells = [c for i, c in distinct
                      if not (i < len(roles) and roles[i] in ("skip", "month"))]
    name_cells = _role_cells(cells, roles, "name")
    number = [tidy(c.text) for c in _role_cells(cells, roles, "number")]
    venue = " ".join(tidy(c.text) for c in _role_cells(cells, roles, "venue")) or None
    agenda = tuple(line.strip() for c in _role_cells(cells, roles, "agenda")
                   for line in c.text.split("\n") if line.strip())
    note = "、".join(tidy(c.text) for c in _role_cells(cells, roles, "note"))
    body = placed.path + tuple(
        part for c in _role_cells(cells, roles, "body") for part in _body_path(c.text))

    # several meetings in one cell, each with its day in brackets: 監事監査（８日）
    for cell in name_cells or [c for _, c in distinct]:
        named = _named_days(cell, ctx)
        if len(named) >= 1 and not any(_dated(_scan(c.text, c.at, ctx.reference))
                                       for c in date_cells if c is not cell):
            _advance(ctx, named[-1][1])
            return [_candidate(m, name, body, cell.at, original, note, venue, agenda)
                    for name, m in named]

    found: list[tuple[DateMatch, str, Location]] = []
    source: list[int] = []  # which date cell each found date is in
    plain: list[str] = []   # cells without a date: what they say names the meeting
    for k, cell in enumerate(date_cells):
        stored = _cell_match(cell)
        if stored is not None:
            found.append((stored, "", cell.at))
            source.append(k)
            continue
        before = len(found)
        lines = [ln for ln in cell.text.split("\n") if ln.strip()] or [cell.text]
        for line in lines:
            matches = _scan(line, cell.at, ctx.reference)
            year = _year_of(matches)
            if year is not None and (not _dated(matches) or any(
                    m.span.precision == "day" and _is_year_less(m) for m in matches)):
                # a year written in the row (令和６年第４回定例会,11月29日) dates its days
                matches = _with_written_year(line, cell.at, matches)
            dated = _dated(matches) or _day_matches(line, cell.at, ctx)
            dated = [m for m in dated if not _NOT_MEETING_DATE.search(fold(line))
                     and (m.span.last_day - m.span.first_day).days <= _LONGEST_ROW_SPAN]
            for m in _ranges(dated):
                found.append((m, _rest(line, matches) if not name_cells else "", cell.at))
                source.append(k)
        if len(found) == before and cell.text.strip():
            plain.append(tidy(cell.text))
    if not found:
        name = " ".join(tidy(c.text) for c in name_cells)
        if has_dates and name and _MEETING_WORD.search(fold(name)):
            return [Undated(name, at)]
        return []
    _advance(ctx, found[-1][0])
    if len(found) == 2 and source[0] != source[1] \
            and found[0][0].span.precision == found[1][0].span.precision in ("day", "month") \
            and found[0][0].span.first_day <= found[1][0].span.first_day:
        # a start and an end column (開始日 | 終了日): one meeting over both (the same day
        # in both is a one-day meeting)
        (a, rest, cell_at), (b, _, _) = found
        if a.span == b.span:
            found = [(a, rest, cell_at)]
        else:
            found = [(replace(a, text=f"{a.text}～{b.text}",
                              span=Span(a.span.first_day, b.span.last_day, a.span.precision)),
                      rest, cell_at)]
    names = [tidy(c.text) for c in name_cells]
    out: list[Finding] = []
    name_lines = [ln.strip() for c in name_cells for ln in c.text.split("\n") if ln.strip()]
    paired = len(found) > 1 and len(name_lines) == len(found)
    for k, (m, rest, cell_at) in enumerate(found):
        if paired:
            name = name_lines[k]
        else:
            name = " ".join(names) or rest or " ".join(plain)
        if number:
            name = " ".join(_ordinal(n) for n in number) + (name if name else "")
        if not name:
            name = title
        out.append(_candidate(m, name, body, cell_at, original, note, venue, agenda))
    return out


#: A body column's path separators: ``全団体事業/会議運営/総会``, ``議会 > 委員会``; a ``/``
#: inside brackets belongs to a name (``電子調達共同システム（CALS/EC）事業``).
_PATH_SEPARATOR = re.compile(r"[/／>＞›»](?![^（(［\[]*[）)］\]])")


def _body_path(text: str) -> list[str]:
    """The parts of a body cell's path, outermost first."""
    return [part for part in (tidy(p) for p in _PATH_SEPARATOR.split(text)) if part]


def _advance(ctx: _Context, last: DateMatch) -> None:
    """Carry the last date read down the table: it anchors the rows below."""
    ctx.reference = last.span.first_day
    if last.span.precision == "day":
        ctx.month = (last.span.last_day.year, last.span.last_day.month)
        ctx.day = last.span.last_day.day


def _with_written_year(line: str, at: Location, matches: list[DateMatch]) -> list[DateMatch]:
    """The line's dates with the year written earlier in it (``令和６年第４回定例会,11月29日``):
    each year-less day is read as if written after that year, so it is no guess."""
    year = next(m for m in matches if m.span.precision == "year")
    out = [year]
    for m in _scan(line, at, _mid_year(year.span.first_day.year)):
        if m.span.precision == "year" or not _is_year_less(m) or m.start < year.end:
            if m.span.precision != "year":
                out.append(m)
            continue
        read = [r for r in scan_line(f"{year.text}{m.text}", at.line or 0)
                if r.span.precision == m.span.precision]
        out.append(replace(m, span=read[0].span, notes=()) if read else m)
    return out


def _is_year_less(m: DateMatch) -> bool:
    return any(code == "year_inferred" for code, _ in m.notes) or "年" not in fold(m.text)


def _month_year(month: int, ctx: _Context) -> int | None:
    """The year a month cell of a table falls in: by the document's 年度 when it has one
    (4–12月 its first calendar year, 1–3月 the next); else the month after the row above
    (a month smaller than the last one is the next year's); else the one nearest the
    reference date; unknown without any."""
    if ctx.fiscal_year is not None:
        return ctx.fiscal_year.start_year + (1 if month < 4 else 0)
    if ctx.month is not None:
        year, last = ctx.month
        return year + 1 if month < last else year
    ref = ctx.reference
    if ref is None:
        return None
    return min((ref.year - 1, ref.year, ref.year + 1),
               key=lambda y: abs((dt.date(y, month, 15) - ref).days))


def _ordinal(text: str) -> str:
    folded = fold(text).strip()
    return f"第{folded}回" if folded.isdigit() else text


def _ranges(matches: list[DateMatch]) -> list[DateMatch]:
    """Matches in order, without one that lies inside another (a range and its start)."""
    out: list[DateMatch] = []
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.start < out[-1].end and m.text in out[-1].text:
            continue
        out.append(m)
    return out


def _named_days(cell: Cell, ctx: _Context) -> list[tuple[str, DateMatch]]:
    """``監事監査（８日）、理事会（２０日）``: each name with its day, in the context month."""
    folded = fold(cell.text)
    out: list[tuple[str, DateMatch]] = []
    for m in _NAMED_DAY.finditer(folded):
        name = tidy(m[1]).strip(" ・、,")
        when = m[2]
        if "月" in when:
            matches = _dated(_scan(when, cell.at, ctx.reference))
        else:
            matches = _day_matches(when, cell.at, ctx)
        if name and matches:
            out.extend((name, d) for d in _ranges(matches))
    return out


def _candidate(m: DateMatch, name: str, body: tuple[str, ...], at: Location, original: str,
               note: str, venue: str | None, agenda: tuple[str, ...]) -> Candidate:
    return Candidate(match=m, name=name, body=body or own_body(name), at=at, original=original,
                     details=note, loose=False, time_text=original, venue=venue,
                     agenda=agenda, context=original)


def _dates_repeat(body: list[tuple[Cell, ...]], roles: list[str | None], ctx: _Context) -> bool:
    """Whether rows share a date: a list of items decided on a few days, not a schedule."""
    seen: set[str] = set()
    for cells in body:
        for cell in _role_cells(cells, roles, "date"):
            key = cell.date.isoformat() if cell.date else re.sub(r"\s+", "", fold(cell.text))
            if key and key in seen:
                return True
            seen.add(key)
    return False


#: Per outline, the days a list of items grouped by day already gave: a list that runs over
#: several tables (one per page, each with its own caption or none) names each day once.
#: Weak: it goes with the outline, so the recognisers stay functions of the document.
_EMITTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _by_date(body: list[tuple[Cell, ...]], roles: list[str | None], ctx: _Context,
             title: str, placed: Placed, outline: Outline) -> list[Finding]:
    """One meeting per distinct date of a table of agenda items (a 議決結果一覧: each bill
    with the day it was decided): the items become its agenda."""
    days: dict[tuple[dt.date, dt.date], tuple[DateMatch, Location, list[str]]] = {}
    for cells in body:
        items = [tidy(c.text) for c in _role_cells(cells, roles, "agenda")]
        for cell in _role_cells(cells, roles, "date"):
            stored = _cell_match(cell)
            matches = [stored] if stored else _dated(_scan(cell.text, cell.at, ctx.reference))
            for m in matches[:1]:
                key = (m.span.first_day, m.span.last_day)
                if key not in days:
                    days[key] = (m, cell.at, [])
                days[key][2].extend(i for i in items if i not in days[key][2])
                ctx.reference = m.span.first_day
    seen = _EMITTED.setdefault(outline, set())
    out: list[Finding] = []
    for m, at, items in days.values():
        if m.span in seen:
            continue
        seen.add(m.span)
        out.append(Candidate(match=m, name=title, body=placed.path or own_body(title), at=at,
                             original=f"{title} {m.text}", agenda=tuple(items[:50]),
                             context=title))
    return out


def _unique(findings: list[Finding]) -> list[Finding]:
    """One finding per meeting: the same name on the same days once (a minutes listing
    names a day's 本文 and its 名簿 apart)."""
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in findings:
        if isinstance(f, Candidate):
            key = (re.sub(r"\s+", "", fold(f.name)), f.match.span, f.body)
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out


__all__ = ["column_roles", "recognise", "role_of"]
