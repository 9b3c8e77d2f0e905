"""aical.publish.html: the fiscal-year page read back with the standard library's HTML parser and
checked against the expected TSV (events) and the holidays law (holiday names)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from hypothesis import given, strategies as st

from aical.publish import naming
from aical.publish.html import LegendEntry, japanese_holidays, render_year_page
from aical.model import Event, Span

FY = 2020
FY_FIRST, FY_LAST = dt.date(FY, 4, 1), dt.date(FY + 1, 3, 31)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root


def legend_for(events: list[Event]) -> list[LegendEntry]:
    paths = list(dict.fromkeys(e.body for e in events))
    slugs = naming.body_slugs(paths)
    return [LegendEntry(p, " / ".join(p), naming.body_color(p), sum(e.body == p for e in events),
                        f"https://cal.example.jp/bodies/{slugs[p]}.ics",
                        f"webcal://cal.example.jp/bodies/{slugs[p]}.ics") for p in paths]


def render(events, **options) -> str:
    options.setdefault("bodies", legend_for(events))
    return render_year_page(events, fiscal_year_start=FY, title="令和2年度 会議日程", **options)


@pytest.fixture(scope="module")
def page(expected_events) -> str:
    return render(expected_events, all_feed=("https://cal.example.jp/all.ics",
                                             "webcal://cal.example.jp/all.ics"))


@pytest.fixture(scope="module")
def tree(page) -> Node:
    return parse(page)


def grids(tree: Node, kind: str) -> list[Node]:
    return [t for t in tree.iter("table") if {"grid", kind} <= t.classes()]


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- holidays --------------------------------------------------------------------------

HOLIDAYS = {"2020-07-23": "海の日", "2020-07-24": "スポーツの日", "2020-08-10": "山の日",
            "2021-02-23": "天皇誕生日"}


def test_japanese_holidays_are_named_in_japanese_whatever_the_locale(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    table = japanese_holidays(FY_FIRST, FY_LAST)
    for iso, name in HOLIDAYS.items():
        assert table[dt.date.fromisoformat(iso)] == name
    # 2020 moved 海の日/スポーツの日 for the Olympics: the usual dates are working days.
    assert dt.date(2020, 7, 20) not in table and dt.date(2020, 10, 12) not in table
    assert all(FY_FIRST <= d <= FY_LAST for d in table)


@pytest.mark.parametrize("iso, name", sorted(HOLIDAYS.items()))
def test_holiday_named_in_its_cell(tree, iso, name):
    cells = [td for g in grids(tree, "big") for td in g.iter("td") if td.attrs.get("data-date") == iso]
    in_month = [td for td in cells if "out" not in td.classes()]
    assert len(in_month) == 1
    assert name in in_month[0].text()
    assert "hol" in in_month[0].classes()
    assert {"sun", "sat"} & in_month[0].classes() == set()  # all four are weekdays


def test_sundays_and_saturdays_marked(tree):
    for td in (td for g in grids(tree, "big") for td in g.iter("td")):
        weekday = dt.date.fromisoformat(td.attrs["data-date"]).weekday()
        assert ("sun" in td.classes()) == (weekday == 6)
        assert ("sat" in td.classes()) == (weekday == 5)


# --- the grids -------------------------------------------------------------------------

def test_twelve_month_grids_april_to_march_with_sunday_headers(tree):
    for kind in ("big",):
        tables = grids(tree, kind)
        assert len(tables) == 12
        firsts = []
        for table in tables:
            assert [th.text() for th in table.iter("th")] == list("日月火水木金土")
            assert all(th.attrs.get("scope") == "col" for th in table.iter("th"))
            assert next(table.iter("caption")).text().strip()
            in_month = [td.attrs["data-date"] for td in table.iter("td")
                        if "out" not in td.classes()]
            firsts.append(in_month[0][:7])
        assert firsts == ["2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09",
                          "2020-10", "2020-11", "2020-12", "2021-01", "2021-02", "2021-03"]


def test_every_day_cell_has_its_date_and_a_time_element(tree):
    for table in grids(tree, "big"):
        dates = []
        for tr in table.iter("tr"):
            tds = list(c for c in tr.children if isinstance(c, Node) and c.tag == "td")
            if not tds:
                continue
            assert len(tds) == 7
            row = [dt.date.fromisoformat(td.attrs["data-date"]) for td in tds]
            assert row == days(row[0], row[-1])
            assert row[0].weekday() == 6
            for td in tds:
                assert next(td.iter("time")).attrs["datetime"] == td.attrs["data-date"]
            dates += row
        assert dates == days(dates[0], dates[-1])


def test_monday_weeks(expected_events):
    tree = parse(render(expected_events, week_start=0))
    table = grids(tree, "big")[0]
    assert [th.text() for th in table.iter("th")] == list("月火水木金土日")
    first = next(table.iter("td")).attrs["data-date"]
    assert first == "2020-03-30"


def pieces_by_uid(tables: list[Node]) -> dict[str, list[Node]]:
    found: dict[str, list[Node]] = {}
    for table in tables:
        for node in table.iter():
            if "data-uid" in node.attrs:
                found.setdefault(node.attrs["data-uid"], []).append(node)
    return found


def test_every_expected_event_is_drawn_on_exactly_its_days(tree, expected_events):
    drawn = pieces_by_uid(grids(tree, "big"))
    assert len(expected_events) == 84
    assert set(drawn) == {e.uid for e in expected_events}
    for e in expected_events:
        covered = []
        for piece in drawn[e.uid]:
            first = dt.date.fromisoformat(piece.attrs["data-first-day"])
            last = dt.date.fromisoformat(piece.attrs["data-last-day"])
            covered += days(first, last)
            # a piece sits in the cell of its first day
            assert piece.parent.attrs["data-date"] == piece.attrs["data-first-day"]
            assert e.summary in piece.text()
            assert ("written" in piece.classes()) == (e.mode == "written")
            if e.mode == "written":
                assert "書面" in piece.text()
        assert sorted(covered) == days(max(e.first_day, FY_FIRST), min(e.last_day, FY_LAST))
        assert min(covered).isoformat() == e.first_day.isoformat()
        assert max(covered).isoformat() == e.last_day.isoformat()


def short_dates(e: Event) -> str:
    """The 年間行事予定表's short date, written out here from the TSV's days."""
    text = f"{e.first_day.month}/{e.first_day.day}"
    if e.precision != "day":
        return f"{e.first_day.month}月" + ("" if e.first_day.month == e.last_day.month
                                           else f"〜{e.last_day.month}月")
    if e.last_day == e.first_day:
        return text
    if e.last_day.month == e.first_day.month:
        return f"{text}〜{e.last_day.day}"
    return f"{text}〜{e.last_day.month}/{e.last_day.day}"


def test_year_table_lists_every_meeting_under_its_body_and_starting_month(tree,
                                                                          expected_events):
    (table,) = [t for t in tree.iter("table") if "yt" in t.classes()]
    heads = [th.text() for th in next(table.iter("thead")).iter("th")]
    assert heads == ["会議体"] + [f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    rows = {}
    for tr in table.iter("tr"):
        th = next(tr.iter("th"))
        if th.attrs.get("scope") == "row":
            rows[th.attrs["title"]] = [td for td in tr.iter("td")]
    assert set(rows) == {" › ".join(e.body) for e in expected_events}
    seen = set()
    for e in expected_events:
        cells = rows[" › ".join(e.body)]
        assert len(cells) == 12
        month = (max(e.first_day, FY_FIRST).month - 4) % 12
        (entry,) = [a for a in cells[month].iter("a") if a.attrs["data-event"] == e.uid]
        text = entry.text()
        assert short_dates(e) in text, (text, e)
        assert ("書面" in text) == (e.mode == "written")
        number = e.summary.split("回")[0] + "回" if e.summary.startswith("第") else ""
        assert text.startswith(number.replace(" ", ""))
        seen.add(e.uid)
    assert len(seen) == 84
    # parents head their groups, in the order the legend gives the bodies
    groups = [th.text() for th in table.iter("th") if th.attrs.get("scope") == "colgroup"]
    assert groups[:2] == ["全団体事業", "会議運営"]


def test_too_full_weeks_show_plus_n_linking_to_the_agenda(expected_events):
    tree = parse(render(expected_events, lanes=2))
    ids = {n.attrs["id"] for n in tree.iter() if "id" in n.attrs}
    mores = [a for a in tree.iter("a") if "more" in a.classes()]
    assert mores
    for table in grids(tree, "big"):
        drawn: dict[str, int] = {}
        for node in table.iter():
            if "data-uid" in node.attrs:
                for d in days(dt.date.fromisoformat(node.attrs["data-first-day"]),
                              dt.date.fromisoformat(node.attrs["data-last-day"])):
                    drawn[d.isoformat()] = drawn.get(d.isoformat(), 0) + 1
        for td in table.iter("td"):
            if "out" in td.classes():
                continue
            iso = td.attrs["data-date"]
            day = dt.date.fromisoformat(iso)
            more = [a for a in td.iter("a") if "more" in a.classes()]
            hidden = int(more[0].text().lstrip("+")) if more else 0
            assert more == [] or more[0].attrs["href"].lstrip("#") in ids
            truth = sum(e.first_day <= day <= e.last_day for e in expected_events)
            assert drawn.get(iso, 0) + hidden == truth, iso


def test_agenda_lists_every_event_with_its_days_body_mode_and_venue(tree, expected_events):
    rows = {tr.attrs["data-event"]: tr for tr in tree.iter("tr") if "data-event" in tr.attrs}
    assert set(rows) == {e.uid for e in expected_events}
    modes = {"written": "書面開催", "in_person": "対面", "online": "オンライン",
             "bulletin": "掲示板", "video": "動画"}
    for e in expected_events:
        row = rows[e.uid]
        text = row.text()
        assert e.summary in text
        assert e.body[-1] in text
        if e.venue:
            assert e.venue in text
        if e.mode:
            assert modes[e.mode] in text
        times = [t.attrs["datetime"] for t in row.iter("time")]
        if e.precision == "day":
            expected = [e.first_day.isoformat()] if e.first_day == e.last_day else \
                [e.first_day.isoformat(), e.last_day.isoformat()]
            assert times == expected
        else:
            assert f"{e.first_day.month}月" in text and f"{e.last_day.month}月" in text


def test_pieces_link_to_their_agenda_row(tree):
    ids = {n.attrs["id"]: n for n in tree.iter() if "id" in n.attrs}
    for node in tree.iter("a"):
        if "data-uid" in node.attrs:
            target = ids[node.attrs["href"].lstrip("#")]
            assert target.attrs["data-event"] == node.attrs["data-uid"]


def test_subscribing_shows_each_address_a_qr_code_and_one_tap_links(tree, expected_events):
    from urllib.parse import parse_qs, urlsplit

    feeds = [li for li in tree.iter("li") if "feed" in li.classes()]
    entries = legend_for(expected_events)
    assert len(feeds) == len(entries) + 1  # and one for all
    wanted = [("https://cal.example.jp/all.ics", "webcal://cal.example.jp/all.ics")] + [
        (e.feed_url, e.webcal_url) for e in entries]
    for li, (https, webcal) in zip(feeds, wanted):
        assert https in [c.text() for c in li.iter("code")]
        assert list(li.iter("svg")), "a QR code"
        hrefs = [a.attrs["href"] for a in li.iter("a")]
        google = next(h for h in hrefs if h.startswith("https://calendar.google.com/"))
        assert parse_qs(urlsplit(google).query)["cid"] == [webcal]
        outlook = next(h for h in hrefs if h.startswith("https://outlook.live.com/"))
        query = parse_qs(urlsplit(outlook).query)
        assert query["url"] == [https] and query["name"][0].strip()
        assert webcal in hrefs
    howtos = [s for s in tree.iter("section") if s.attrs.get("aria-labelledby", "").startswith(
        "howto-")]
    assert len(howtos) == 3 and all(len(list(s.iter("li"))) == 3 for s in howtos)


def test_without_addresses_the_page_says_where_links_come_from(expected_events):
    bodies = [e._replace(feed_url=None, webcal_url=None) for e in legend_for(expected_events)]
    tree = parse(render(expected_events, bodies=bodies))
    assert not [li for li in tree.iter("li") if "feed" in li.classes()]
    assert not list(tree.iter("svg"))
    (notice,) = [p for p in tree.iter("p") if "notice" in p.classes()]
    assert "base_url" in notice.text() and "設定すると表示" in notice.text()


def test_page_structure_and_no_external_requests(tree, page):
    html = next(tree.iter("html"))
    assert html.attrs["lang"] == "ja"
    for landmark in ("header", "main", "nav", "footer"):
        assert list(tree.iter(landmark)), landmark
    assert len(list(tree.iter("h1"))) == 1
    assert not list(tree.iter("link")) and not list(tree.iter("img"))
    assert not [s for s in tree.iter("script") if "src" in s.attrs]
    assert "@import" not in page and "url(" not in page
    for node in tree.iter():
        for name in ("src", "href"):
            value = node.attrs.get(name) or ""
            assert value == "" or value.startswith((
                "#", "https://cal.example.jp/", "webcal://cal.example.jp/",
                "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fcal.example.jp%2F",
                "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fcal.example.jp%2F",
            )), value
    ids = [n.attrs["id"] for n in tree.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    assert "print-color-adjust: exact" in page
    assert "size: A4 landscape" in page
    assert '"Noto Sans CJK JP", "Hiragino Sans"' in page and "Yu Gothic" in page


def test_autoescape(expected_events):
    nasty = Event(uid='x"><script>alert(1)</script>', body=("総会<u>",),
                  summary="<script>alert('x')</script>&amp;", span=Span(dt.date(2020, 5, 1),
                                                                        dt.date(2020, 5, 2)),
                  mode="written", venue='"><img src=x onerror=alert(1)>')
    page = render([nasty], bodies=[(nasty.body, "総会<u>", "#123456", 1,
                                    "https://cal.example.jp/a.ics?x=1&y=<2>",
                                    "webcal://cal.example.jp/a.ics")])
    assert "<script>" not in page and "<img" not in page and "<u>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;" in page
    tree = parse(page)
    assert not list(tree.iter("script")) and not list(tree.iter("img"))
    pieces = pieces_by_uid(grids(tree, "big"))
    assert list(pieces) == [nasty.uid]
    # the attribute is escaped in the source and reads back as written
    assert "a.ics?x=1&amp;y=&lt;2&gt;" in page
    assert any(a.attrs.get("href") == "https://cal.example.jp/a.ics?x=1&y=<2>"
               for a in tree.iter("a"))
    # every place that repeats the meeting (its grid bar, its year-table entry, its month
    # list row and its agenda row) reads back as written: the page makes their markup
    # itself, not through the template's autoescape
    marked = [n for n in tree.iter() if nasty.uid in (n.attrs.get("data-event"),
                                                        n.attrs.get("data-uid"))]
    assert sorted(n.tag for n in marked) == ["a", "a", "li", "tr"]
    for node in marked:
        assert nasty.summary in node.text() or nasty.summary in node.attrs.get("title", "")
    agenda_row = next(n for n in marked if n.tag == "tr")
    assert nasty.venue in agenda_row.text() and "総会<u>" in agenda_row.text()


@given(st.text())
def test_the_pages_own_escape_is_markupsafes(text):
    from markupsafe import escape

    from aical.publish.html import _escape

    assert _escape(text) == str(escape(text))


def test_deterministic_and_independent_of_input_order(expected_events, page):
    shuffled = list(expected_events)
    random.Random(5).shuffle(shuffled)
    again = render(shuffled, all_feed=("https://cal.example.jp/all.ics",
                                       "webcal://cal.example.jp/all.ics"),
                   bodies=legend_for(expected_events))
    assert again == page


def test_events_outside_the_fiscal_year_are_left_out(expected_events):
    outside = replace(expected_events[0], uid="outside@aical.test",
                      span=Span(dt.date(2021, 4, 5), dt.date(2021, 4, 6)))
    tree = parse(render([*expected_events, outside], bodies=legend_for(expected_events)))
    assert "outside@aical.test" not in pieces_by_uid(grids(tree, "big"))
    assert all(tr.attrs.get("data-event") != "outside@aical.test" for tr in tree.iter("tr"))


def test_explicit_holidays_mapping_is_used(expected_events):
    tree = parse(render(expected_events[:3], bodies=legend_for(expected_events[:3]),
                        holidays={dt.date(2020, 6, 15): "創立記念日"}))
    (cell,) = [td for g in grids(tree, "big") for td in g.iter("td")
               if td.attrs["data-date"] == "2020-06-15"]
    assert "創立記念日" in cell.text() and "hol" in cell.classes()
    assert "海の日" not in "".join(td.text() for g in grids(tree, "big") for td in g.iter("td"))


def test_text_on_every_body_colour_is_readable(tree):
    """WCAG 2.1 AA (4.5:1) for the solid bars' text and the dark text on the light stripe of
    書面開催 bars, with the ratio computed by aical.publish.naming's own WCAG formula."""
    import re

    style = next(tree.iter("style")).text()
    rules = re.findall(r"\.b-[a-z0-9-]+ \{ --c: (#[0-9a-f]{6}); --fg: (#[0-9a-f]{6}); "
                       r"--t: (#[0-9a-f]{6}); \}", style)
    assert len(rules) == len({p.split("b-", 1)[1] for p in re.findall(r"\bb-[a-z0-9-]+", style)})
    assert len(rules) == 21  # the sample's bodies
    for color, text, tint in rules:
        assert naming.contrast_ratio(text, color) >= 4.5, color
        assert naming.contrast_ratio("#111111", tint) >= 4.5, tint
        assert naming.contrast_ratio("#111111", "#ffffff") >= 4.5
