"""The printable fiscal-year (年度, April to March) calendar page: one self-contained HTML file.

The page holds, in order: the year overview (twelve small month grids), the legend with each
body's colour, event count and subscribe links, one large grid per month (each printed on its
own A4 landscape page), and the agenda — every event as text, the accessible alternative to
the grids. Bars and chips come from :mod:`aical.publish.layout`; this module only turns that layout
into a view model and hands it to the Jinja2 templates in ``aical/publish/templates`` (autoescape on).

Contract (DESIGN.md): every day cell carries ``data-date="YYYY-MM-DD"``; every drawn piece
carries ``data-uid``, ``data-first-day`` and ``data-last-day`` (the piece's own days,
inclusive — an event cut at a week or month edge has one piece per row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from aical.publish import hygiene
from aical.publish.layout import SUNDAY, MonthLayout, fiscal_year_months, lay_out_month
from aical.model import MODE_LABELS, Event, event_order

TEMPLATES = Path(__file__).parent / "templates"

#: Weekday headers by ``date.weekday()`` (0 = Monday).
WEEKDAY_NAMES = ("月", "火", "水", "木", "金", "土", "日")
WEEKDAY_LONG = ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")

#: Short marker drawn inside a bar, so that 書面開催 is not told by its pattern alone.
MODE_MARKERS = {"written": "書面"}


class LegendEntry(NamedTuple):
    """One body in the legend. A plain 6-tuple in this order is accepted too."""

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


def _tint(color: str, amount: float = 0.3) -> str:
    """``color`` mixed with white (``amount`` of the colour): the light stripe of a
    書面開催 bar, computed here so the page needs no CSS color-mix()."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _date_ja(day: dt.date, *, year: bool = True) -> str:
    text = f"{day.month}月{day.day}日({WEEKDAY_NAMES[day.weekday()]})"
    return f"{day.year}年{text}" if year else text


def _range_ja(event: Event) -> str:
    """The event's days as a person reads them, both ends inclusive."""
    first, last = event.first_day, event.last_day
    if event.precision == "month":
        start = f"{first.year}年{first.month}月"
        if (first.year, first.month) == (last.year, last.month):
            return start
        end = f"{last.month}月" if last.year == first.year else f"{last.year}年{last.month}月"
        return f"{start}～{end}"
    if first == last:
        return _date_ja(first)
    return f"{_date_ja(first)}～{_date_ja(last, year=last.year != first.year)}"


def _label(event: Event, short: str) -> str:
    # The summary often names only the meeting ("第2回検討会"); the body's short name makes
    # the bar readable without its colour, unless the summary already says it.
    if short and short not in event.summary:
        return f"{short} {event.summary}"
    return event.summary


def _grid(layout: MonthLayout, holidays: Mapping[dt.date, str], styles: dict, anchors: dict,
          names: dict, shorts: dict) -> dict:
    weeks = []
    for week in layout.weeks:
        cells = []
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
            pieces = []
            for piece in week.pieces:
                if piece.first_column != day.column:
                    continue
                event = piece.event
                style = styles[event.body]
                kind = "chip" if event.first_day == event.last_day else "bar"
                pclasses = ["piece", kind, f"b-{style.slug}", f"l{piece.lane}",
                            f"s{piece.columns}"]
                if event.mode == "written":
                    pclasses.append("written")
                if piece.continues_before:
                    pclasses.append("cb")
                if piece.continues_after:
                    pclasses.append("ca")
                details = [names[event.body], event.summary, _range_ja(event)]
                if event.mode:
                    details.append(MODE_LABELS.get(event.mode, event.mode))
                if event.venue:
                    details.append(event.venue)
                pieces.append({
                    "uid": event.uid,
                    "first": piece.first_day.isoformat(),
                    "last": piece.last_day.isoformat(),
                    "classes": " ".join(pclasses),
                    "marker": MODE_MARKERS.get(event.mode or ""),
                    "label": _label(event, shorts[event.body]),
                    "title": " / ".join(details),
                    "href": "#" + anchors[event.uid],
                    "before": piece.continues_before,
                    "after": piece.continues_after,
                })
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
        "weeks": weeks,
        "hidden": sum(len(w.hidden) for w in layout.weeks),
    }


def render_year_page(
    events: Iterable[Event],
    *,
    fiscal_year_start: int,
    title: str,
    bodies: Sequence[LegendEntry | tuple],
    holidays: Mapping[dt.date, str] | None = None,
    week_start: int = SUNDAY,
    lanes: int = 7,
    overview_lanes: int = 3,
    year_links: Sequence[YearLink | tuple] = (),
    all_feed: tuple[str, str] | None = None,
    subtitle: str | None = None,
) -> str:
    """The HTML page of 年度 ``fiscal_year_start`` (April 1 of that year to March 31 of the
    next; FY2020 = 令和2年度), as one self-contained string.

    ``events`` outside the fiscal year are left out. ``bodies`` gives the legend in order,
    each ``(path, name, color, event count, https feed URL, webcal URL)``; an event whose body
    is not listed gets :func:`aical.publish.naming.body_color`. ``holidays`` maps days to names
    (default: :func:`japanese_holidays`). ``week_start`` is 6 (Sunday, default) or 0
    (Monday). ``lanes`` is the number of lanes per week on the month pages and
    ``overview_lanes`` on the year overview; pieces that do not fit are counted in "+N".
    ``year_links`` are ``(label, href, current)`` for other fiscal years; ``all_feed`` is the
    ``(https URL, webcal URL)`` of the feed with every body. The same arguments give the same
    bytes.
    """
    import jinja2

    from aical.publish import naming

    fy_first = dt.date(fiscal_year_start, 4, 1)
    fy_last = dt.date(fiscal_year_start + 1, 3, 31)
    chosen = sorted(
        (e for e in events if e.first_day <= fy_last and e.last_day >= fy_first),
        key=event_order,
    )
    legend = [LegendEntry(*entry) for entry in bodies]

    paths = list(dict.fromkeys([entry.path for entry in legend] + [e.body for e in chosen]))
    slugs = naming.body_slugs(paths)
    colors = {entry.path: entry.color for entry in legend}
    names = {entry.path: entry.name for entry in legend}
    styles = {}
    for path in paths:
        color = colors.get(path) or naming.body_color(path)
        styles[path] = _Style(slugs[path], color, naming.text_color_on(color), _tint(color))
        names.setdefault(path, " / ".join(path))
    shorts = {path: naming.short_name(path) for path in paths}
    anchors = {e.uid: f"e{i + 1}" for i, e in enumerate(chosen)}

    months = fiscal_year_months(fiscal_year_start)
    big = [lay_out_month(chosen, y, m, lanes=lanes, week_start=week_start) for y, m in months]
    mini = [lay_out_month(chosen, y, m, lanes=overview_lanes, week_start=week_start)
            for y, m in months]
    if holidays is None:
        holidays = japanese_holidays(big[0].weeks[0].first_day, big[-1].weeks[-1].last_day)

    order = [(week_start + i) % 7 for i in range(7)]
    headers = [{"short": WEEKDAY_NAMES[w], "long": WEEKDAY_LONG[w],
                "classes": "sun" if w == 6 else "sat" if w == 5 else ""} for w in order]

    agenda = []
    for year, month in months:
        rows = []
        for event in chosen:
            # An event is listed under the month it starts in; one begun before the fiscal
            # year is listed under April.
            start = max(event.first_day, fy_first)
            if (start.year, start.month) != (year, month):
                continue
            rows.append({
                "anchor": anchors[event.uid],
                "uid": event.uid,
                "first": event.first_day.isoformat(),
                "last": event.last_day.isoformat(),
                "range": _range_ja(event),
                "single": event.first_day == event.last_day,
                "first_text": _date_ja(event.first_day),
                "last_text": _date_ja(event.last_day,
                                      year=event.last_day.year != event.first_day.year),
                "month_precision": event.precision == "month",
                "body": names[event.body],
                "slug": styles[event.body].slug,
                "summary": event.summary,
                "mode": MODE_LABELS.get(event.mode, event.mode) if event.mode else "",
                "written": event.mode == "written",
                "venue": event.venue or "",
            })
        agenda.append({"id": f"{year:04d}-{month:02d}", "year": year, "month": month,
                       "rows": rows})

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("year.html.j2")
    # the whole page through the shared hygiene: no control, bidi or zero-width character
    # from a document or aical.toml reaches it, wherever a template puts the text
    return hygiene.clean(template.render(
        title=title,
        subtitle=subtitle or f"{_date_ja(fy_first)}～{_date_ja(fy_last)}",
        fiscal_year_start=fiscal_year_start,
        headers=headers,
        overview=[_grid(m, holidays, styles, anchors, names, shorts) for m in mini],
        months=[_grid(m, holidays, styles, anchors, names, shorts) for m in big],
        lanes=lanes,
        overview_lanes=overview_lanes,
        styles=[styles[p] for p in paths],
        legend=[{"entry": e, "slug": styles[e.path].slug} for e in legend],
        all_feed=all_feed,
        year_links=[YearLink(*link) for link in year_links],
        agenda=agenda,
        total=len(chosen),
    ))
