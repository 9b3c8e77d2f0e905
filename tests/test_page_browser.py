"""The sample's fiscal-year page in a real browser (Debian's chromium driven by playwright),
as its readers meet it: on a phone (360, 390 px), a tablet (768) and a desktop (1400), and
printed on A4 landscape.

Truth comes from outside aical: the expected TSV (events), the browser's own layout (boxes of
text, scroll widths), the PDF chromium prints read back by pdfminer (glyph sizes, page text),
zbar (a real QR decoder) for the QR codes, axe-core and the W3C Nu Html Checker."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from aical.publish import naming
from aical.publish.html import LegendEntry, render_year_page
from conftest import SAMPLE, require

pytestmark = pytest.mark.browser

NODE_MODULES = Path(__file__).parent / "js" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MONTHS = [(2020, m) for m in range(4, 13)] + [(2021, m) for m in range(1, 4)]
BASE = "https://cal.example.jp/r2"
ORGANISATION = "あいち電子自治体推進協議会"
#: Half a CSS pixel: sub-pixel rounding of borders and percentages, no more.
EPS = 0.5
#: A4 landscape as chromium lays out the print (281 mm × 189 mm inside the margins).
PRINT_VIEWPORT = (1062, 714)


@pytest.fixture(scope="module")
def sample_bodies() -> list[tuple[str, ...]]:
    """Every body the sample report names, in its order, those without a dated meeting
    too (the 年間行事予定表 gives each a row): read by aical, as the build does."""
    from aical.reports import read_inputs

    (read,) = read_inputs([SAMPLE])
    return [b.path for b in read.report.bodies]


def legend_for(events, bodies=()) -> list[LegendEntry]:
    paths = list(dict.fromkeys([*bodies, *(e.body for e in events)]))
    slugs = naming.body_slugs(paths)
    colors = naming.sibling_colors(paths)
    return [LegendEntry(p, naming.short_name(p), colors[p], sum(e.body == p for e in events),
                        f"{BASE}/bodies/{slugs[p]}.ics",
                        f"webcal://cal.example.jp/r2/bodies/{slugs[p]}.ics") for p in paths]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, expected_events, sample_bodies) -> Path:
    assert len(sample_bodies) == 24
    html = render_year_page(expected_events, fiscal_year_start=2020, title="会議日程 令和2年度",
                            bodies=legend_for(expected_events, sample_bodies),
                            organisation=ORGANISATION,
                            issued=dt.date(2021, 4, 1), page_url=f"{BASE}/fy2020.html",
                            all_feed=(f"{BASE}/all.ics", "webcal://cal.example.jp/r2/all.ics"))
    path = tmp_path_factory.mktemp("page") / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def opened(browser, page_file):
    """The page opened once from file://, with every console message, page error and
    request that is not the file itself recorded; tests set their own viewport and media."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    log = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: log["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    yield page, log
    page.close()


def show(page, width: int, height: int = 900, media: str = "screen"):
    page.emulate_media(media=media)
    page.set_viewport_size({"width": width, "height": height})
    return page


GEOMETRY_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return [...document.querySelectorAll('table.grid')].map((table, t) => ({
    table: t,
    cells: [...table.querySelectorAll('td[data-date]')].map(td => ({
      date: td.dataset.date, row: td.parentElement.rowIndex, box: box(td)})),
    pieces: [...table.querySelectorAll('[data-uid]')].map(p => ({
      uid: p.dataset.uid, first: p.dataset.firstDay, last: p.dataset.lastDay, box: box(p),
      visible: p.getClientRects().length > 0}))
  }));
}"""

#: Every run of text as the em boxes of its line fragments (the glyphs' own height, not the
#: font's taller content area), clipped by every ancestor that hides its overflow; then
#: each pair of boxes of two different text nodes that overlaps by more than EPS in both
#: directions (chromium gives a text cut by an ellipsis two fragments of one node).
OVERLAP_JS = """(eps) => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode(), node++) {
    if (!n.data.trim()) continue;
    const el = n.parentElement;
    if (el.closest('.sr-only')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      const shave = Math.max(0, (r.height - size) / 2);
      let b = {l: r.left, r: r.right, t: r.top + shave, b: r.bottom - shave};
      for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
          const c = a.getBoundingClientRect();
          b = {l: Math.max(b.l, c.left), r: Math.min(b.r, c.right),
               t: Math.max(b.t, c.top), b: Math.min(b.b, c.bottom)};
        }
      }
      if (b.r - b.l > eps && b.b - b.t > eps)
        boxes.push({...b, node, text: n.data.trim().slice(0, 20), tag: el.className || el.tagName});
    }
  }
  boxes.sort((x, y) => x.l - y.l);
  const hits = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j].l < boxes[i].r - eps; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.node !== b.node && Math.min(a.r, b.r) - Math.max(a.l, b.l) > eps &&
          Math.min(a.b, b.b) - Math.max(a.t, b.t) > eps) hits.push([a, b]);
    }
  return {boxes: boxes.length, hits: hits.slice(0, 5), count: hits.length};
}"""

#: For each event, the visible things a reader can reach it by: pieces in the month grids,
#: items of the month lists, entries of the year table, and its agenda row.
REACH_JS = """() => {
  const seen = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const out = {};
  const add = (uid, kind) => { (out[uid] = out[uid] || {})[kind] = (out[uid][kind] || 0) + 1; };
  for (const e of document.querySelectorAll('table.grid [data-uid]')) if (seen(e)) add(e.dataset.uid, 'grid');
  for (const e of document.querySelectorAll('.mlist [data-event]')) if (seen(e)) add(e.dataset.event, 'list');
  for (const e of document.querySelectorAll('.yt [data-event]')) if (seen(e)) add(e.dataset.event, 'year');
  for (const e of document.querySelectorAll('.agenda tr[data-event]')) if (seen(e)) add(e.dataset.event, 'agenda');
  return out;
}"""


#: Labels cut by the page: 第N回 is never cut nor pushed out of its bar, and the title's
#: rest is cut only once the body part is gone.
LABELS_JS = """() => {
  const bad = []; let ordinals = 0;
  for (const p of document.querySelectorAll('table.grid .piece')) {
    if (!p.getClientRects().length) continue;
    const box = p.getBoundingClientRect();
    const ord = p.querySelector('.ord'), who = p.querySelector('.who'),
          rest = p.querySelector('.rest');
    if (ord) {
      ordinals++;
      const r = ord.getBoundingClientRect();
      if (ord.scrollWidth > ord.clientWidth + 0.5 || r.right > box.right + 0.5)
        bad.push(['ordinal cut', p.title]);
    }
    if (who && rest && rest.scrollWidth > rest.clientWidth + 1 &&
        who.getBoundingClientRect().width > 1)
      bad.push(['title cut before the body', p.title]);
  }
  return {ordinals, bad};
}"""


def check_geometry(tables: list[dict], expected_events) -> int:
    by_uid = {e.uid: e for e in expected_events}
    checked = 0
    for table in tables:
        cells = {c["date"]: c for c in table["cells"]}
        for piece in table["pieces"]:
            event = by_uid[piece["uid"]]
            first = dt.date.fromisoformat(piece["first"])
            last = dt.date.fromisoformat(piece["last"])
            assert event.first_day <= first <= last <= event.last_day, piece
            start, end = cells[piece["first"]], cells[piece["last"]]
            # the piece's days are one run of cells in one week row
            assert start["row"] == end["row"], piece
            assert (last - first).days <= 6
            box = piece["box"]
            assert piece["visible"] and box["right"] - box["left"] > 2, piece
            # within its cells ...
            assert box["left"] >= start["box"]["left"] - EPS, piece
            assert box["right"] <= end["box"]["right"] + EPS, piece
            assert box["top"] >= start["box"]["top"] - EPS, piece
            assert box["bottom"] <= start["box"]["bottom"] + EPS, piece
            # ... and over all of them: it reaches into its first and last day's cell, so it
            # neither stops short nor lies over a neighbouring day
            width = start["box"]["right"] - start["box"]["left"]
            assert box["left"] <= start["box"]["left"] + width / 2, piece
            assert box["right"] >= end["box"]["right"] - width / 2, piece
            checked += 1
    return checked


def months_touched(event) -> int:
    first, last = event.first_day, event.last_day
    return (last.year - first.year) * 12 + last.month - first.month + 1


@pytest.mark.parametrize("width", [360, 390, 768, 1400])
def test_no_sideways_scroll_no_overlapping_text_every_event_reachable(opened, expected_events,
                                                                      width):
    page = show(opened[0], width)
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth,"
                           " window.innerWidth]")
    assert max(scroll[:2]) <= scroll[2], scroll
    overlaps = page.evaluate(OVERLAP_JS, EPS)
    assert overlaps["boxes"] > 1000
    assert overlaps["count"] == 0, json.dumps(overlaps["hits"], ensure_ascii=False)
    reach = page.evaluate(REACH_JS)
    for event in expected_events:
        found = reach.get(event.uid, {})
        assert found.get("agenda") == 1 and found.get("year") == 1, (event, found)
        if width < 700:  # the month as a list, one item per month the event touches
            assert found.get("list") == months_touched(event) and "grid" not in found
        else:
            assert found.get("grid", 0) >= 1 and "list" not in found
    if width >= 700:
        labels = page.evaluate(LABELS_JS)
        assert labels["ordinals"] > 50
        assert labels["bad"] == [], labels["bad"][:5]
        tables = page.evaluate(GEOMETRY_JS)
        assert len(tables) == 12
        assert check_geometry(tables, expected_events) >= 84


def test_print_layout_has_no_overlapping_text(opened):
    page = show(opened[0], *PRINT_VIEWPORT, media="print")
    overlaps = page.evaluate(OVERLAP_JS, EPS)
    assert overlaps["count"] == 0, json.dumps(overlaps["hits"], ensure_ascii=False)


def test_no_console_errors_and_no_requests_outside_the_file(opened, page_file):
    page, log = opened
    show(page, 1400, media="print")
    show(page, 390)
    assert log["errors"] == []
    assert [m for m in log["console"] if m[0] in ("error", "warning")] == []
    assert log["requests"] == [page_file.as_uri()]


def nfkc(text: str) -> str:
    # Chrome embeds CJK glyphs that pdfminer maps to Kangxi radicals (⽉ for 月), and the
    # proportional (palt) middle dot to U+2027
    return unicodedata.normalize("NFKC", text).replace("\u2027", "・")


def pdf_pages(data: bytes, maxpages: int = 0) -> list[dict]:
    """Each page's size, text (NFKC), glyphs and smallest glyph size in points (the first
    ``maxpages`` pages only, when given), and the number of pages as ``total``."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    pages = []
    for layout in extract_pages(io.BytesIO(data), maxpages=maxpages):
        text = "".join(e.get_text() for e in layout if isinstance(e, LTTextContainer))
        glyphs = [c for c in chars(layout) if c.get_text().strip()]
        pages.append({"size": (layout.width, layout.height), "text": nfkc(text),
                      "flat": "".join(nfkc(text).split()),
                      "smallest": min(c.size for c in glyphs), "glyphs": glyphs})
    return pages


def side_column(page: dict) -> str:
    """The text of the year table's first column read top to bottom, without the bodies'
    letters (A, B …, drawn on their own baseline): the glyphs left of the April column,
    whose left edge is found from the headers 4月 and 5月 (centred in equal columns)."""
    text = [(c, nfkc(c.get_text())) for c in page["glyphs"]]
    heads = {}
    for (a, ta), (b, tb) in zip(text, text[1:]):
        if tb == "月" and ta in "45" and abs(a.y0 - b.y0) < 1 and ta not in heads:
            heads[ta] = (a.x0, b.x1, a.y0)
    (x4, end4, y), (x5, _, _) = heads["4"], heads["5"]
    edge = x4 - ((x5 - x4) - (end4 - x4)) / 2
    rows = sorted((c for c, t in text if c.x1 <= edge + 1 and c.y0 < y - 1
                   and not ("A" <= t <= "Z")), key=lambda c: (-round(c.y0), c.x0))
    return "".join(nfkc(c.get_text()) for c in rows)


def header_row(page: dict) -> str:
    """The glyphs on the baseline of the first 会議体, left to right: the table's header."""
    text = [(c, nfkc(c.get_text())) for c in page["glyphs"]]
    start = next(c for i, (c, t) in enumerate(text)
                 if "".join(x for _, x in text[i:i + 3]) == "会議体")
    row = sorted((c for c, _ in text if abs(c.y0 - start.y0) < 1), key=lambda c: c.x0)
    return "".join(nfkc(c.get_text()) for c in row)


@pytest.fixture(scope="module")
def printed(opened) -> list[dict]:
    page = show(opened[0], *PRINT_VIEWPORT, media="print")
    data = page.pdf(format="A4", landscape=True, print_background=True,
                    prefer_css_page_size=True)
    assert data.startswith(b"%PDF")
    return pdf_pages(data)


def test_prints_the_year_table_first_then_subscribing_and_one_month_per_page(
        printed, expected_events, sample_bodies):
    pages = printed
    # year table, subscribing, twelve months, the agenda (a few pages)
    assert 16 <= len(pages) <= 20, len(pages)
    for page in pages:
        width, height = page["size"]
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape in points
    first = pages[0]["flat"]
    assert "年間行事予定表" in first
    side = side_column(pages[0])
    for body in {path[-1] for path in sample_bodies}:
        assert "".join(nfkc(body).split()) in side, body
    for event in expected_events:  # every meeting's short date is on page 1
        text = f"{event.first_day.month}/{event.first_day.day}" if event.precision == "day" \
            else f"{event.first_day.month}月"
        assert text in first, event
    assert first.count("書面") >= sum(e.mode == "written" for e in expected_events)
    assert "カレンダーに登録" in pages[1]["flat"] and f"{BASE}/all.ics" in pages[1]["flat"]
    headings = [f"{y}年(令和{y - 2018}年){m}月" for y, m in MONTHS]
    for heading, page in zip(headings, pages[2:14]):
        assert page["flat"].startswith(nfkc(ORGANISATION)) and heading in page["flat"], heading
        assert "日月火水木金土" in page["flat"]
    assert "予定一覧" in pages[14]["flat"]
    agenda = "".join(page["flat"] for page in pages[14:])
    for event in expected_events:
        assert "".join(nfkc(event.summary).split()) in agenda


def test_every_printed_page_has_header_footer_and_readable_text(printed):
    total = len(printed)
    for number, page in enumerate(printed, 1):
        flat = page["flat"]
        assert nfkc(ORGANISATION) in flat and "令和2年度(2020年度)" in flat, number
        assert f"{number}/{total}ページ" in flat, number
        assert "発行日2021年4月1日(木)" in flat and f"{BASE}/fy2020.html" in flat, number
        # the smallest glyph: 7 pt on the year table, 6.5 pt anywhere
        assert page["smallest"] >= (6.95 if number == 1 else 6.45), (number, page["smallest"])


def test_qr_codes_decode_to_the_feed_addresses(opened, tmp_path, expected_events,
                                               sample_bodies):
    zbarimg = shutil.which("zbarimg")
    require(zbarimg is not None, "zbarimg is not installed (Debian: zbar-tools)")
    page = show(opened[0], 1400)
    codes = page.locator("svg.qr")
    wanted = [f"{BASE}/all.ics"] + [e.feed_url for e in legend_for(expected_events,
                                                                     sample_bodies)]
    assert codes.count() == len(wanted)
    files = []
    for i in range(codes.count()):
        files.append(tmp_path / f"qr{i:02d}.png")
        codes.nth(i).screenshot(path=str(files[-1]))
    decoded = []
    for path in files:  # one at a time: zbarimg prints no file names
        done = subprocess.run([zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable",
                               str(path)], capture_output=True, text=True, timeout=60)
        decoded.append(done.stdout.strip())
    assert decoded == wanted


@pytest.mark.parametrize("width, media", [(390, "screen"), (1400, "screen"),
                                          (PRINT_VIEWPORT[0], "print")])
def test_no_accessibility_violations(opened, width, media):
    require(AXE.exists(), "axe-core is not installed (tests/js: npm install)")
    page = show(opened[0], width, media=media)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       example: v.nodes[0] && v.nodes[0].html}));
    }""")
    assert result == [], json.dumps(result, ensure_ascii=False, indent=1)


def test_valid_html_by_the_nu_html_checker(page_file):
    """No message at all (errors, warnings or info), CSS checked too. The checker reads the
    markup, which is the same at every width and in print."""
    java = shutil.which("java")
    require(java is not None and VNU.exists(), "java or vnu-jar is not installed")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--also-check-css",
                           str(page_file)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert messages == [], json.dumps(messages[:10], ensure_ascii=False, indent=1)


def test_a_larger_year_continues_with_the_header_repeated(browser, tmp_path):
    from aical.model import Event, Span

    bodies = [("委員会群", f"第{i}委員会") for i in range(1, 61)]
    events = [Event(uid=f"u{i}", body=body, summary=f"第{i}回委員会",
                    span=Span(dt.date(2020, 4 + i % 9, 1 + i % 27),
                              dt.date(2020, 4 + i % 9, 2 + i % 27)), mode="written")
              for i, body in enumerate(bodies)]
    html = render_year_page(events, fiscal_year_start=2020, title="大きな年",
                            bodies=[(b, b[-1], naming.body_color(b), 1) for b in bodies],
                            organisation=ORGANISATION)
    path = tmp_path / "big.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": PRINT_VIEWPORT[0], "height": PRINT_VIEWPORT[1]})
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        data = page.pdf(format="A4", landscape=True, print_background=True,
                        prefer_css_page_size=True)
    finally:
        page.close()
    total = len(re.findall(rb"/Type\s*/Page\b", data))
    pages = pdf_pages(data, maxpages=4)
    # the table's pages are those before subscribing (which lists the bodies again)
    table_pages = pages[:next(i for i, p in enumerate(pages) if "カレンダーに登録" in p["flat"])]
    assert len(table_pages) >= 2
    months = "会議体" + "".join(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))
    for number, p in enumerate(table_pages, 1):
        assert header_row(p) == months, number
        assert nfkc(ORGANISATION) in p["flat"] and f"{number}/{total}ページ" in p["flat"]
    side = "".join(side_column(p) for p in table_pages)
    assert all(f"第{i}委員会" in side for i in range(1, 61))
