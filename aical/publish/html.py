"""The printable fiscal-year (年度, April to March) calendar page: one self-contained HTML file.

The page holds, in order:

- the 年間行事予定表: one table, bodies grouped under their parents down the side, April to
  March across, each cell the body's meetings of that month as short dates (``5/26〜29
  書面``, ``第3回 12/17〜24``) — the first printed page;
- subscribing: per feed and for all, the https address as text, its QR code (inline SVG),
  one-tap links for Google Calendar, Outlook and Apple, and three-line how-tos;
- one month per printed A4 landscape page: the grid with bars (a compact legend of the
  month's bodies above it), and for screens below 700 px a list of the month instead;
- the agenda — every event as text, the accessible alternative to the grids (cards on a
  phone).

Printed, every page carries the organisation and fiscal year at the top and the page
number, 発行日 and the page's address at the bottom (CSS page-margin boxes). Bars and chips come from :mod:`aical.publish.layout`; this module only turns that layout
into a view model and hands it to the Jinja2 templates in ``aical/publish/templates`` (autoescape on).

Contract (DESIGN.md): every day cell carries ``data-date="YYYY-MM-DD"``; every drawn piece
carries ``data-uid``, ``data-first-day`` and ``data-last-day`` (the piece's own days,
inclusive — an event cut at a week or month edge has one piece per row).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import re
import urllib.parse

from aical.dates.era import FiscalYear, era_label, era_of
from aical.model import MODE_LABELS, Event, event_order
from aical.publish import hygiene, naming
from aical.publish.layout import SUNDAY, MonthLayout, fiscal_year_months, lay_out_month

TEMPLATES = Path(__file__).parent / "templates"

#: Weekday headers by ``date.weekday()`` (0 = Monday).
WEEKDAY_NAMES = ("月", "火", "水", "木", "金", "土", "日")
WEEKDAY_LONG = ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")

#: Short marker drawn inside a bar, so that 書面開催 is not told by its pattern alone.
MODE_MARKERS = {"written": "書面"}

#: Marks for meetings not (or not yet) held as planned, drawn beside their dates; the bars
#: are also dashed (tentative) or struck through (cancelled, postponed).
STATUS_MARKS = {"tentative": "仮", "cancelled": "中止", "postponed": "延期"}
STATUS_LABELS = {"tentative": "予定（未確定）", "cancelled": "中止", "postponed": "延期"}

#: An ordinal at the head of a title (第3回定期総会, 臨時幹事会): what a label keeps.
_ORDINAL = re.compile(r"^(?:第\s*[0-9０-９一二三四五六七八九十百]+\s*回|臨時)")

#: C0/C1 controls and DEL: never on the page (nor in its CSS strings).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class LegendEntry(NamedTuple):
    """One body in the legend, in legend order (the 年間行事予定表 groups bodies under their
    parents in this order). A plain 6-tuple in this order is accepted too. The feed URLs
    are None when the site's address is not known."""

    path: tuple[str, ...]
    name: str
    color: str
    events: int
    feed_url: str | None = None
    webcal_url: str | None = None


class YearLink(NamedTuple):
    """A link to another fiscal year's page (``current`` marks this page's own year)."""

    label: str
    href: str
    current: bool = False


def japanese_holidays(first_day: dt.date, last_day: dt.date) -> dict[dt.date, str]:
    """Japanese public holidays (国民の祝日, 振替休日, 国民の休日) between the two days,
    inclusive, named in Japanese whatever the system locale (``holidays``, language "ja")."""
    table = _japan_holidays_class()(years=range(first_day.year, last_day.year + 1),
                                    language="ja")
    return {day: str(name) for day, name in sorted(table.items())
            if first_day <= day <= last_day}


def _japan_holidays_class():
    """holidays' Japan class, loaded from its own file: ``holidays.Japan`` goes through
    ``holidays.countries``, whose ``__init__`` imports every country (about 60 ms, an
    eighth of a whole build of the sample). Falls back to it if the layout ever changes."""
    import holidays

    try:
        import importlib.util
        from pathlib import Path

        path = Path(holidays.__file__).parent / "countries" / "japan.py"
        spec = importlib.util.spec_from_file_location("aical._holidays_japan", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.Japan
    except Exception:  # a holidays release laid out differently: the documented way
        return holidays.Japan


@dataclass(frozen=True, slots=True)
class _Style:
    slug: str
    color: str
    text: str
    tint: str
    letter: str


def _tint(color: str, amount: float = 0.3) -> str:
    """``color`` mixed with white (``amount`` of the colour): the light stripe of a
    書面開催 bar, computed here so the page needs no CSS color-mix()."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def visible(text: str) -> str:
    """``text`` without control characters (NUL, ESC …), which no page may show."""
    return _CONTROLS.sub("", text)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal for the page-margin boxes: every character but
    letters, digits and spaces escaped as ``\\HHHHHH``, so no quote, backslash or
    ``</style>`` can end the string or the style sheet."""
    out = []
    for char in visible(text):
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def month_heading(year: int, month: int) -> str:
    """``2020年（令和2年）4月``: the Western year with the era year, as notices head a month."""
    era = era_of(dt.date(year, month, 1))
    return f"{year}年（{era_label(era, year - era.offset)}）{month}月"


def _status(event: Event) -> str:
    # Event.status arrives with the plans work; until then every event is confirmed.
    return getattr(event, "status", None) or "confirmed"


def label_parts(event: Event, short: str) -> tuple[str, str, str]:
    """A bar's label as (body part, ordinal, rest of the title): the body's short name
    without the words the title already says (物品等 発注者操作研修会 + 発注者操作研修会 →
    物品等), then 第N回 and the rest. The page cuts the body part first and never the
    ordinal."""
    summary = event.summary
    words = [w for w in short.split() if w and w not in summary and summary not in w]
    if short and summary in short.split():
        words = [w for w in short.split() if w != summary]
    who = " ".join(words)
    found = _ORDINAL.match(summary)
    ordinal = found.group(0) if found else ""
    return who, ordinal, summary[len(ordinal):]


def label(event: Event, short: str) -> str:
    """The bar's label as one string (see :func:`label_parts`)."""
    who, ordinal, rest = label_parts(event, short)
    return " ".join(part for part in (who, ordinal + rest) if part)


def _details(event: Event, name: str) -> str:
    """The popup of a bar: body, title, days with weekdays, time, mode, venue, status."""
    details = [name, event.summary, naming.range_ja(event.first_day, event.last_day,
                                                    event.precision)]
    times = _times(event)
    if times:
        details.append(times)
    if event.mode:
        details.append(MODE_LABELS.get(event.mode, event.mode))
    if event.venue:
        details.append(event.venue)
    status = _status(event)
    if status in STATUS_LABELS:
        details.append(STATUS_LABELS[status])
    return " / ".join(details)


def _times(event: Event) -> str:
    start = getattr(event, "start_time", None)
    if start is None:
        return ""
    end = getattr(event, "end_time", None)
    return f"{start:%H:%M}～{end:%H:%M}" if end is not None else f"{start:%H:%M}～"


def _piece(piece, style, short: str, name: str, anchor: str) -> str:
    """One bar or chip of a month grid, as grid.html.j2 drew it (see :func:`_escape`)."""
    event = piece.event
    status = _status(event)
    classes = ["piece", "chip" if event.first_day == event.last_day else "bar",
               f"b-{style.slug}", f"l{piece.lane}", f"s{piece.columns}"]
    if event.mode == "written":
        classes.append("written")
    if status != "confirmed":
        classes.append(f"st-{status}")
    if piece.continues_before:
        classes.append("cb")
    if piece.continues_after:
        classes.append("ca")
    who, ordinal, rest = label_parts(event, short)
    out = ['<a class="', _escape(" ".join(classes)), '" href="', _escape("#" + anchor),
           '" title="', _escape(_details(event, name)), '" data-uid="', _escape(event.uid),
           '" data-first-day="', piece.first_day.isoformat(), '" data-last-day="',
           piece.last_day.isoformat(), '">\n<span class="lt">', _escape(style.letter),
           '</span>']
    marker = MODE_MARKERS.get(event.mode or "")
    if marker:
        out += ['<span class="mk">', _escape(marker), '</span>']
    mark = STATUS_MARKS.get(status)
    if mark:
        out += ['<span class="sm">', _escape(mark), '</span>']
    if who:
        out += ['<span class="who">', _escape(who), '</span>']
    if ordinal:
        out += ['<span class="ord">', _escape(ordinal), '</span>']
    if rest:
        out += ['<span class="rest">', _escape(rest), '</span>']
    out.append('</a>\n')
    return "".join(out)


def _grid(layout: MonthLayout, holidays: Mapping[dt.date, str], styles: dict, anchors: dict,
          names: dict, shorts: dict) -> dict:
    from markupsafe import Markup

    weeks = []
    for week in layout.weeks:
        cells = []
        by_column: list[list] = [[] for _ in week.days]  # each day's pieces, in lane order
        for piece in week.pieces:
            by_column[piece.first_column].append(piece)
        for day in week.days:
            weekday = day.date.weekday()
            classes = ["day"]
            if weekday == 6:
                classes.append("sun")
            elif weekday == 5:
                classes.append("sat")
            holiday = holidays.get(day.date)
            if holiday:
                classes.append("hol")
            if not day.in_month:
                classes.append("out")
            pieces = [Markup(_piece(piece, styles[piece.event.body], shorts[piece.event.body],
                                    names[piece.event.body], anchors[piece.event.uid]))
                      for piece in by_column[day.column]]
            cells.append({
                "iso": day.date.isoformat(),
                "day": day.date.day,
                "classes": " ".join(classes),
                "holiday": holiday,
                "in_month": day.in_month,
                "more": week.overflow[day.column],
                "pieces": pieces,
            })
        weeks.append(cells)
    first = layout.first_day
    return {
        "id": f"{first.year:04d}-{first.month:02d}",
        "year": first.year,
        "month": first.month,
        "heading": month_heading(first.year, first.month),
        "weeks": weeks,
        "hidden": sum(len(w.hidden) for w in layout.weeks),
    }


def _by_month(chosen: Sequence[Event], months, fy_first: dt.date, fy_last: dt.date):
    """The events touching each month of the year, and the events listed under each (the
    month they start in; one begun before the year under April), in ``chosen``'s order:
    found once, not by a scan of every event per month."""
    touching: dict[tuple[int, int], list[Event]] = {ym: [] for ym in months}
    starting: dict[tuple[int, int], list[Event]] = {ym: [] for ym in months}
    for event in chosen:
        first = max(event.span.first_day, fy_first)
        last = min(event.span.last_day, fy_last)
        starting[first.year, first.month].append(event)
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            touching[year, month].append(event)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return touching, starting


#: Rows the page's lists take from Python as one piece: the template escapes each piece it
#: writes (a Markup is copied whole by markupsafe), a tenth of the page's time when it was
#: a piece a meeting.
ROWS_A_PIECE = 256


def _rows(events, anchors, names, styles):
    """The agenda's rows of ``events`` (see :func:`_agenda_row`), :data:`ROWS_A_PIECE` a
    string; none for no events."""
    from markupsafe import Markup

    for start in range(0, len(events), ROWS_A_PIECE):
        yield Markup("".join(_agenda_row(event, anchors, names, styles)
                             for event in events[start:start + ROWS_A_PIECE]))


def _touching_rows(events, first: dt.date, anchors, names, styles):
    """The month list's rows of ``events`` (the month begins on ``first``; see
    :func:`_list_row`), :data:`ROWS_A_PIECE` a string; none for no events."""
    from markupsafe import Markup

    for start in range(0, len(events), ROWS_A_PIECE):
        yield Markup("".join(_list_row(event, event.first_day < first, anchors, names, styles)
                             for event in events[start:start + ROWS_A_PIECE]))


# The four kinds of markup the page repeats for every meeting (a month grid's bar, an
# agenda row, a month list row, a year-table entry) are written here rather than in the
# templates: through a template, each of their thirty-odd fields cost an attribute lookup,
# an escape and a yield of its own, most of the page's time. Every text goes through
# _escape, markupsafe's escape as the templates' autoescape applies it; the bytes are
# those the templates wrote.

_HTML_SPECIAL = re.compile("[&<>'\"]")


def _escape(text: str) -> str:
    """``text`` escaped for HTML exactly as markupsafe's ``escape`` does (``& < > ' "``),
    returned as it is when it holds none of them (most texts: one C scan, no copy)."""
    if _HTML_SPECIAL.search(text) is None:
        return text
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))

def _agenda_row(event: Event, anchors, names, styles) -> str:
    escape = _escape
    status = _status(event)
    style = styles[event.body]
    first, last = event.first_day.isoformat(), event.last_day.isoformat()
    out = ['<tr id="', escape(anchors[event.uid]), '" data-event="', escape(event.uid),
           '" data-event-first-day="', first, '" data-event-last-day="', last, '"']
    if status != "confirmed":
        out += [' class="st-', escape(status), '"']
    out.append('>\n<td class="when">')
    if event.precision == "day":
        start, end = naming.range_ja_parts(event.first_day, event.last_day, event.precision)
        out += ['<time datetime="', first, '">', escape(start), '</time>']
        if end:
            out += ['～<time datetime="', last, '">', escape(end), '</time>']
    else:
        out.append(escape(naming.range_ja(event.first_day, event.last_day, event.precision)))
    times = _times(event)
    if times:
        out += ['<br>', escape(times)]
    out += ['</td>\n<td><span class="lt b-', escape(style.slug), '">', escape(style.letter),
            '</span>', escape(names[event.body]), '</td>\n<td>']
    label = STATUS_LABELS.get(status, "")
    if label:
        out += ['<span class="sm">', escape(label), '</span>']
    mode = MODE_LABELS.get(event.mode, event.mode) if event.mode else ""
    out += [escape(event.summary), '</td>\n<td>', escape(mode or "—"), '</td>\n<td>',
            escape(event.venue or "—"), '</td>\n</tr>\n']
    return "".join(out)


def _list_row(event: Event, continued: bool, anchors, names, styles) -> str:
    escape = _escape
    status = _status(event)
    style = styles[event.body]
    out = ['<li class="b-', escape(style.slug)]
    if status != "confirmed":
        out += [' st-', escape(status)]
    out += ['" data-event="', escape(event.uid), '"><a href="#', escape(anchors[event.uid]),
            '">\n<span class="when">']
    if continued:
        out.append("（前月から）")
    out.append(escape(naming.range_ja(event.first_day, event.last_day, event.precision)))
    times = _times(event)
    if times:
        out += [" ", escape(times)]
    out += ['</span>\n<span class="what"><span class="lt">', escape(style.letter), '</span>',
            escape(names[event.body]), "："]
    mark = STATUS_MARKS.get(status, "")
    if mark:
        out += ['<span class="sm">', escape(mark), '</span>']
    out += [escape(event.summary), '</span>']
    mode = MODE_LABELS.get(event.mode, event.mode) if event.mode else ""
    venue = event.venue or ""
    if mode or venue:
        out += ['<span class="how">', escape(mode), "・" if mode and venue else "",
                escape(venue), '</span>']
    out.append('</a></li>\n')
    return "".join(out)


def _year_entry(event: Event, anchor: str) -> str:
    escape = _escape
    status = _status(event)
    found = _ORDINAL.match(event.summary)
    ordinal = found.group(0).replace(" ", "").replace("\u3000", "") if found else ""
    out = ['<a class="m']
    if status != "confirmed":
        out += [' st-', escape(status)]
    out += ['" href="#', escape(anchor), '" title="', escape(event.summary),
            '" data-event="', escape(event.uid), '">']
    mark = STATUS_MARKS.get(status, "")
    if mark:
        out += ['<span class="sm">', escape(mark), '</span>']
    if ordinal:
        out += ['<span class="o">', escape(ordinal), '</span> ']
    out += ['<span class="d">',
            escape(naming.short_range(event.first_day, event.last_day, event.precision)),
            '</span>']
    mode = MODE_MARKERS.get(event.mode or "", "")
    if mode:
        out += [' <b>', escape(mode), '</b>']
    out.append('</a>')
    return "".join(out)


def year_table(events: Sequence[Event], legend: Sequence[LegendEntry], fiscal_year_start: int,
               anchors: Mapping[str, str], styles: Mapping) -> list[dict]:
    """The 年間行事予定表 as groups of rows: bodies under their parent heading, in legend
    order; per body a row of twelve cells (April to March), each the meetings that start
    in that month (one begun before the year under April) as short dates with their marks
    (:func:`_year_entry` each), the row's markup made by :func:`_year_row`."""
    from markupsafe import Markup

    fy_first = dt.date(fiscal_year_start, 4, 1)
    months = fiscal_year_months(fiscal_year_start)
    labels = [f"{m}月" for _, m in months]
    column = {ym: i for i, ym in enumerate(months)}
    cells: dict[tuple[str, ...], list[list[dict]]] = {e.path: [[] for _ in months]
                                                      for e in legend}
    for event in events:
        start = max(event.first_day, fy_first)
        row = cells.setdefault(event.body, [[] for _ in months])
        row[column[(start.year, start.month)]].append(_year_entry(event, anchors[event.uid]))
    groups: list[dict] = []
    index: dict[tuple[str, ...], dict] = {}
    for path in cells:
        parent = path[:-1]
        group = index.get(parent)
        if group is None:
            group = {"name": parent[-1] if parent else "", "path": " › ".join(parent),
                     "rows": []}
            index[parent] = group
            groups.append(group)
        group["rows"].append({"html": Markup(_year_row(path, styles[path], cells[path],
                                                       labels))})
    return groups


def _year_row(path: tuple[str, ...], style, cells: list[list], labels: Sequence[str]) -> str:
    """One body's row of the year table, its header and twelve cells (written here, not in
    the template, for the reason given above :func:`_escape`)."""
    escape = _escape
    out = ['<tr><th scope="row" title="', escape(" › ".join(path)), '"><span class="lt b-',
           escape(style.slug), '">', escape(style.letter), '</span>',
           escape(path[-1] if path else ""), '</th>\n']
    for label, entries in zip(labels, cells):
        out += ['<td data-month="', escape(label), '"', '>' if entries else ' class="none">',
                *entries, '</td>\n']
    out.append('</tr>')
    return "".join(out)


def qr_svg(text: str, label: str) -> str:
    """``text`` as a QR code (error correction M), an inline SVG with ``label`` as its
    accessible name. segno draws it here, with no network and no image file."""
    import segno

    svg = segno.make(text, error="m").svg_inline(scale=3, border=4, omitsize=True,
                                                 svgclass="qr", lineclass=None)
    name = visible(label).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


def subscribe_links(https_url: str, webcal_url: str, name: str) -> dict[str, str]:
    """One-tap subscribe links: Google Calendar takes the webcal address in ``cid``,
    Outlook.com the https address and a name, Apple's apps open webcal:// themselves."""
    quote = functools.partial(urllib.parse.quote, safe="")
    return {
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url),
        "outlook": ("https://outlook.live.com/calendar/0/addfromweb?url=" + quote(https_url)
                    + "&name=" + quote(name)),
        "apple": webcal_url,
    }


def render_year_page(events: Iterable[Event], **options) -> str:
    """The HTML page of a fiscal year as one string (:func:`year_page_chunks` joined; the
    arguments are described there)."""
    return "".join(_page_pieces(events, **options))


def year_page_chunks(events: Iterable[Event], **options):
    """:func:`render_year_page` as chunks of UTF-8 bytes (about a million characters each),
    so that the page of a big build is written without ever being whole in memory."""
    for piece in _page_pieces(events, **options):
        yield piece.encode("utf-8")


def _cleaned_pieces(pieces, size: int = 1 << 18):
    """The template's output in batches of about ``size`` characters, each through the
    shared hygiene (by size, not by count: a piece is a field or a whole row of a meeting).
    A CR at a batch's end waits for the next batch, so a CR LF pair is cleaned whole, as in
    one string."""
    carry = ""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            text = carry + "".join(batch)
            carry = "\r" if text.endswith("\r") else ""
            yield hygiene.clean(text[:-1] if carry else text)
            batch, length = [], 0
    text = carry + "".join(batch)
    if text:
        yield hygiene.clean(text)


def _page_pieces(
    events: Iterable[Event],
    *,
    fiscal_year_start: int,
    title: str,
    bodies: Sequence[LegendEntry | tuple],
    holidays: Mapping[dt.date, str] | None = None,
    week_start: int = SUNDAY,
    lanes: int = 7,
    year_links: Sequence[YearLink | tuple] = (),
    all_feed: tuple[str, str | None] | None = None,
    subtitle: str | None = None,
    organisation: str = "",
    issued: dt.date | None = None,
    page_url: str | None = None,
):
    """The HTML page of 年度 ``fiscal_year_start`` (April 1 of that year to March 31 of the
    next; FY2020 = 令和2年度), as one self-contained string.

    ``events`` outside the fiscal year are left out. ``bodies`` gives the legend in order,
    each ``(path, name, color, event count, https feed URL, webcal URL)``; an event whose body
    is not listed gets :func:`aical.publish.naming.body_color`. ``holidays`` maps days to names
    (default: :func:`japanese_holidays`). ``week_start`` is 6 (Sunday, default) or 0
    (Monday). ``lanes`` is the number of lanes per week on the month pages; pieces that do
    not fit are counted in "+N". ``year_links`` are ``(label, href, current)`` for other
    fiscal years; ``all_feed`` is the ``(https URL, webcal URL)`` of the feed with every
    body. ``organisation``, ``issued`` (発行日) and ``page_url`` (this page's published
    address) go into every printed page's header and footer. Without feed URLs the page
    says that subscription links appear once the site's address is set. The same
    arguments give the same bytes.
    """
    import jinja2
    from markupsafe import Markup

    fy = FiscalYear(fiscal_year_start)
    fy_first, fy_last = fy.first_day, fy.last_day
    chosen = sorted(
        (e for e in events if e.first_day <= fy_last and e.last_day >= fy_first),
        key=event_order,
    )
    legend = [LegendEntry(*entry) for entry in bodies]
    known = {entry.path for entry in legend}
    for path in dict.fromkeys(e.body for e in chosen):
        if path not in known:
            legend.append(LegendEntry(path, " / ".join(path), naming.body_color(path),
                                      sum(e.body == path for e in chosen)))
    paths = [entry.path for entry in legend]
    slugs = naming.body_slugs(paths)
    letters = naming.body_letters(paths)
    names = {entry.path: visible(entry.name) for entry in legend}
    styles = {}
    for entry in legend:
        color = entry.color or naming.body_color(entry.path)
        styles[entry.path] = _Style(slugs[entry.path], color, naming.text_color_on(color),
                                    _tint(color), letters[entry.path])
    shorts = {path: naming.short_name(path) for path in paths}
    anchors = {e.uid: naming.event_anchor(e.uid) for e in chosen}

    months = fiscal_year_months(fiscal_year_start)
    touching, starting = _by_month(chosen, months, fy_first, fy_last)
    big = [lay_out_month(touching[y, m], y, m, lanes=lanes, week_start=week_start)
           for y, m in months]
    if holidays is None:
        holidays = japanese_holidays(big[0].weeks[0].first_day, big[-1].weeks[-1].last_day)

    order = [(week_start + i) % 7 for i in range(7)]
    headers = [{"short": WEEKDAY_NAMES[w], "long": WEEKDAY_LONG[w],
                "classes": "sun" if w == 6 else "sat" if w == 5 else ""} for w in order]

    grids = [_grid(m, holidays, styles, anchors, names, shorts) for m in big]
    agenda = []
    for (year, month), grid in zip(months, grids):
        first = dt.date(year, month, 1)
        # An event is listed under the month it starts in; one begun before the fiscal
        # year is listed under April. The month's own list (phones) and legend take every
        # event touching the month. The rows are made as the template writes them, so
        # the page of a big build never holds two dicts for every meeting at once.
        present = {e.body: True for e in touching[year, month]}
        rows = _rows(starting[year, month], anchors, names, styles)
        grid["list"] = _touching_rows(touching[year, month], first, anchors, names, styles)
        # the month's legend, one piece (see _rows)
        grid["key"] = Markup("".join(
            f'<li><span class="lt b-{_escape(styles[p].slug)}">{_escape(styles[p].letter)}'
            f'</span>{_escape(names[p])}</li>\n' for p in paths if p in present))
        agenda.append({"id": grid["id"], "year": year, "month": month,
                       "heading": grid["heading"], "rows": rows})

    feeds = []
    for entry in legend:
        if entry.feed_url and entry.webcal_url:
            feeds.append(_feed(entry.name, entry.feed_url, entry.webcal_url, entry.events,
                               styles[entry.path]))
    if all_feed and all_feed[0] and all_feed[1]:
        feeds.insert(0, _feed(f"すべての会議体（{visible(title)}）", all_feed[0], all_feed[1],
                              len(chosen), None))

    issued_text = naming.date_ja(issued) if issued else ""
    head_left = " ".join(part for part in (visible(organisation), visible(title)) if part)
    foot_left = f"発行日 {issued_text}" if issued_text else ""
    env = _environment_class()(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # css_string escapes everything but letters, digits and spaces: safe as it stands
    env.filters["css_string"] = lambda text: Markup(css_string(text))
    template = env.get_template("year.html.j2")
    # the whole page through the shared hygiene: no control, bidi or zero-width character
    # from a document or aical.toml reaches it, wherever a template puts the text
    yield from _cleaned_pieces(template.generate(
        title=visible(title),
        organisation=visible(organisation),
        fy_label=f"{fy.label}（{fiscal_year_start}年度）",
        subtitle=visible(subtitle) if subtitle else naming.range_ja(fy_first, fy_last),
        issued=issued_text,
        issued_iso=issued.isoformat() if issued else "",
        page_url=page_url or "",
        margin={"head_left": head_left, "head_right": f"{fy.label}（{fiscal_year_start}年度）",
                "foot_left": foot_left, "foot_center": page_url or ""},
        headers=headers,
        months=grids,
        month_labels=[f"{m}月" for _, m in months],
        groups=year_table(chosen, legend, fiscal_year_start, anchors, styles),
        lanes=lanes,
        styles=[styles[p] for p in paths],
        legend=[{"entry": e, "slug": styles[e.path].slug, "letter": styles[e.path].letter,
                 "name": names[e.path]} for e in legend],
        feeds=feeds,
        has_status={s for e in chosen for s in [_status(e)] if s != "confirmed"},
        year_links=[YearLink(*link) for link in year_links],
        agenda=agenda,
        total=len(chosen),
    ))


@functools.cache
def _environment_class():
    """jinja2's Environment, reading ``row.name`` on a plain dict as ``row["name"]`` first.
    jinja tries the attribute first, and the AttributeError it catches for every field of
    every row was a third of the page's time; no dict the page gets has a key named like a
    dict method, so the result is the same."""
    import jinja2

    class Environment(jinja2.Environment):
        def getattr(self, obj, attribute):
            if type(obj) is dict and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

    return Environment


def _feed(name: str, https_url: str, webcal_url: str, events: int, style) -> dict:
    from markupsafe import Markup

    name = visible(name)
    return {
        "name": name,
        "https": https_url,
        "webcal": webcal_url,
        "events": events,
        "slug": style.slug if style else "",
        "letter": style.letter if style else "",
        "qr": Markup(qr_svg(https_url, f"{name}の購読用アドレスのQRコード")),
        "links": subscribe_links(https_url, webcal_url, name),
    }
