"""The sample's fiscal-year page in a real browser (Debian's chromium driven by playwright):
bars over exactly their days, no overlaps, no console errors, an A4 landscape PDF read back
by pdfminer, no serious axe-core violation, and a clean W3C Nu Html Checker report."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from aical.publish import naming
from aical.publish.html import LegendEntry, render_year_page
from conftest import require

pytestmark = pytest.mark.browser

NODE_MODULES = Path(__file__).parent / "js" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MONTHS = [(2020, m) for m in range(4, 13)] + [(2021, m) for m in range(1, 4)]
#: Half a CSS pixel: sub-pixel rounding of borders and percentages, no more.
EPS = 0.5


def legend_for(events) -> list[LegendEntry]:
    paths = list(dict.fromkeys(e.body for e in events))
    slugs = naming.body_slugs(paths)
    return [LegendEntry(p, " / ".join(p), naming.body_color(p), sum(e.body == p for e in events),
                        f"https://cal.example.jp/{slugs[p]}.ics",
                        f"webcal://cal.example.jp/{slugs[p]}.ics") for p in paths]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, expected_events) -> Path:
    html = render_year_page(expected_events, fiscal_year_start=2020, title="令和2年度 会議日程",
                            bodies=legend_for(expected_events),
                            all_feed=("https://cal.example.jp/all.ics",
                                      "webcal://cal.example.jp/all.ics"))
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


@pytest.fixture()
def opened(browser, page_file):
    """The page opened from file://, with every console message, page error and request
    that is not the file itself recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    log = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: log["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    yield page, log
    page.close()


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
        pieces = table["pieces"]
        for i, a in enumerate(pieces):
            for b in pieces[i + 1:]:
                dx = min(a["box"]["right"], b["box"]["right"]) - max(a["box"]["left"],
                                                                      b["box"]["left"])
                dy = min(a["box"]["bottom"], b["box"]["bottom"]) - max(a["box"]["top"],
                                                                       b["box"]["top"])
                assert dx <= EPS or dy <= EPS, (a, b)
    return checked


@pytest.mark.parametrize("media, viewport", [("screen", (1400, 1000)), ("screen", (700, 900)),
                                             ("print", (1062, 733))])
def test_every_piece_lies_over_its_days_and_none_overlap(opened, expected_events, media,
                                                         viewport):
    page, log = opened
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.emulate_media(media=media)
    tables = page.evaluate(GEOMETRY_JS)
    assert len(tables) == 24
    checked = check_geometry(tables, expected_events)
    # the month pages draw every expected event, so at least one piece per event
    assert checked >= 84
    big_uids = {p["uid"] for t in tables[12:] for p in t["pieces"]}
    assert big_uids == {e.uid for e in expected_events}


def test_no_console_errors_and_no_requests_outside_the_file(opened, page_file):
    page, log = opened
    page.emulate_media(media="print")
    page.emulate_media(media="screen")
    assert log["errors"] == []
    assert [m for m in log["console"] if m[0] in ("error", "warning")] == []
    assert log["requests"] == [page_file.as_uri()]


def pdf_pages(data: bytes) -> list[tuple[tuple[float, float], str]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = []
    for layout in extract_pages(io.BytesIO(data)):
        text = "".join(e.get_text() for e in layout if isinstance(e, LTTextContainer))
        # Chrome embeds CJK glyphs that pdfminer maps to Kangxi radicals (⽉ for 月)
        pages.append(((layout.width, layout.height), unicodedata.normalize("NFKC", text)))
    return pages


def test_prints_to_a4_landscape_overview_then_one_month_per_page(opened, expected_events):
    page, _ = opened
    data = page.pdf(format="A4", landscape=True, print_background=True,
                    prefer_css_page_size=True)
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data)
    # overview, legend, twelve months, the agenda (a few pages)
    assert 16 <= len(pages) <= 24, len(pages)
    for (width, height), _ in pages:
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape in points
    overview = pages[0][1]
    assert "令和2年度 会議日程" in overview
    for year, month in MONTHS:
        assert f"{year}年{month}月" in overview
    assert "凡例" in pages[1][1]
    month_pages = [text for _, text in pages[2:14]]
    assert [t.lstrip().split("\n", 1)[0].strip() for t in month_pages] == \
        [f"{y}年{m}月" for y, m in MONTHS]
    for text in month_pages:
        assert "日 月 火 水 木 金 土" in " ".join(text.split())
    assert "予定一覧" in pages[14][1]
    # cells wrap, so compare without white space
    agenda = "".join("".join(text.split()) for _, text in pages[14:])
    for event in expected_events:
        assert unicodedata.normalize("NFKC", event.summary) in agenda


def test_no_serious_accessibility_violations(opened):
    require(AXE.exists(), "axe-core is not installed (tests/js: npm install)")
    page, _ = opened
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       example: v.nodes[0] && v.nodes[0].html}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)


def test_valid_html_by_the_nu_html_checker(page_file):
    java = shutil.which("java")
    require(java is not None and VNU.exists(), "java or vnu-jar is not installed")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--also-check-css",
                           str(page_file)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors == [], json.dumps(errors[:10], ensure_ascii=False, indent=1)
