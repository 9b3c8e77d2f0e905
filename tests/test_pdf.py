"""The PDF reader against independent truth: PDFs printed by Debian's chromium from HTML
renderings of the sample (radical glyphs, two columns, running headers, ruled tables),
the committed PDFs of tests/data, a scan made by rendering a PDF to images, the real PDFs
of the events corpus (gold.tsv's `where`, as pdftotext shows it) — and hostile PDFs."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import unicodedata
import zlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.document import Paragraph, Table
from aical.errors import InputError
from aical.read import read_document
from aical.read.pdf import MAX_PAGES, repair_glyphs, stream_budget
from conftest import DATA, ROOT, SAMPLE, require, split_body
from test_pipeline import essentials, expected

#: The events corpus: copied into tests/data, else shared/ beside the checkout (CI) or its
#: parent (a worktree), as test_corpus_layouts finds it.
_CANDIDATES = (DATA / "events-corpus", ROOT.parent / "shared" / "events-corpus",
               ROOT.parent.parent / "shared" / "events-corpus")
CORPUS = next((p for p in _CANDIDATES if (p / "gold.tsv").is_file()), _CANDIDATES[0])


def _corpus() -> Path:
    require((CORPUS / "gold.tsv").is_file(), "the events corpus (shared/events-corpus) is missing")
    return CORPUS


def _no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


def _pdftotext(pdf: Path, page: int, *, layout: bool = True) -> str:
    """poppler's text of one page: a second, independent PDF reader."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-f", str(page), "-l", str(page),
            str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _extract(*args) -> dict:
    result = CliRunner().invoke(cli, ["extract", "--json", *map(str, args)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _essentials(event: dict) -> tuple:
    return (tuple(event["body"]), event["first_day"], event["last_day"], event["precision"],
            event["mode"] or "", event["venue"] or "")


def _expected(rows) -> list[tuple]:
    return sorted((split_body(r["body"]), r["first"], r["last"], r["precision"], r["mode"],
                   r["venue"]) for r in rows)


# ---------------------------------------------------------------------------- making PDFs

_STYLE = 'body { font-family: "Noto Sans CJK JP", sans-serif; font-size: 10.5pt; }'


def sample_html(style: str = "") -> str:
    """The sample as a web page: a paragraph per written line, as a secretariat's page or
    a word processor's export has it."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8">'
            f"<title>令和2年度事業報告</title><style>{_STYLE} {style}</style></head>"
            f"<body>\n{body}\n</body></html>")


@pytest.fixture(scope="session")
def print_pdf(tmp_path_factory, chromium_path):
    """Print HTML to PDF with Debian's chromium, as a person does with "Save as PDF"."""
    folder = tmp_path_factory.mktemp("printed")
    made: dict[str, Path] = {}

    def make(name: str, page: str, *, header_footer: bool = False) -> Path:
        if name not in made:
            source = folder / f"{name}.html"
            source.write_text(page, encoding="utf-8")
            out = folder / f"{name}.pdf"
            subprocess.run([chromium_path, "--headless", "--no-sandbox", "--disable-gpu",
                            *([] if header_footer else ["--no-pdf-header-footer"]),
                            f"--print-to-pdf={out}", source.as_uri()],
                           capture_output=True, timeout=120, check=True)
            made[name] = out
        return made[name]

    return make


@pytest.fixture(scope="session")
def chromium_pdf(print_pdf) -> Path:
    return print_pdf("sample", sample_html())


@pytest.fixture(scope="session")
def text_build() -> dict:
    return _extract(SAMPLE)


# ---------------------------------------------------------------------------- glyphs


@pytest.mark.parametrize("damaged, repaired", [
    ("令和2年4⽉1⽇", "令和2年4月1日"),            # Kangxi radicals (U+2F49, U+2F47)
    ("⻑寿社会", "長寿社会"),                      # CJK radicals supplement U+2ED1
    ("⼾籍", "戸籍"),                              # Kangxi 戶 radical: the Japanese form
    ("⻘少年", "青少年"), ("⻭科", "歯科"),
    ("\uf9a8\u7dad", "\u4ee4\u7dad"),              # 令 as a compatibility ideograph
    ("‧第1回幹事会", "・第1回幹事会"), ("･第1回", "・第1回"),
])
def test_repair_glyphs(damaged, repaired):
    assert repair_glyphs(damaged) == repaired


@pytest.mark.parametrize("kept", ["﨑", "髙", "①", "㈱", "～", "〜", "ｶﾅ", "ABC１２３"])
def test_repair_glyphs_keeps_what_the_author_wrote(kept):
    # 﨑 (U+FA11) is a unified ideograph in the compatibility block; width stays as written
    assert repair_glyphs(kept) == kept


# ---------------------------------------------------------------------------- chromium


def test_chromium_pdf_gives_the_text_build(chromium_pdf, expected_rows, text_build):
    # the printed PDF really carries the damage the reader must repair
    raw = subprocess.run([sys.executable, "-c", "import sys; from pdfminer.high_level import "
                          "extract_text; print(extract_text(sys.argv[1]))", str(chromium_pdf)],
                         capture_output=True, text=True, check=True).stdout
    assert re.search("[\u2f00-\u2fdf]", raw) and "‧" in raw
    data = _extract(chromium_pdf)
    assert sorted(_essentials(e) for e in data["events"]) == _expected(expected_rows)
    assert sorted(e["uid"] for e in data["events"]) == sorted(e["uid"] for e in text_build["events"])
    assert sorted(e["summary"] for e in data["events"]) == \
        sorted(e["summary"] for e in text_build["events"])
    document = read_document(chromium_pdf)
    shown = "".join(b.text for b in document.blocks if isinstance(b, Paragraph))
    assert not re.search("[\u2e80-\u2fdf\uf900-\ufaff‧･]", shown)


def test_chromium_pdf_is_read_the_same_every_time(chromium_pdf):
    assert read_document(chromium_pdf) == read_document(chromium_pdf)


@pytest.mark.parametrize("which", ["chromium", "cid", "embedded"])
def test_sources_name_page_and_line(which, chromium_pdf):
    """Each event's page and line are where poppler's pdftotext shows its text."""
    pdf = {"chromium": chromium_pdf, "cid": DATA / "r2-jigyo-hokoku.pdf",
           "embedded": DATA / "reading-r2-embedded.pdf"}[which]
    data = _extract(pdf)
    assert len(data["events"]) == 84
    pages: dict[int, list[str]] = {}
    for event in data["events"]:
        page, line = event["source"]["page"], event["source"]["line"]
        if page not in pages:
            pages[page] = [x for x in _pdftotext(pdf, page).split("\n") if x.strip()]
        start = _no_space(unicodedata.normalize("NFKC", event["original"]))[:8]
        assert start in _no_space(unicodedata.normalize("NFKC", pages[page][line - 1])), event
    warning = next(w for w in data["warnings"] if w["code"] == "out_of_fiscal_year")
    assert warning["page"] is not None and warning["file"] == pdf.name


def test_lint_shows_the_page(chromium_pdf):
    result = CliRunner().invoke(cli, ["lint", str(chromium_pdf)])
    assert re.search(re.escape(chromium_pdf.name) + r":p\d+:\d+: out_of_fiscal_year",
                     result.output), result.output


def test_two_columns_are_read_column_by_column(print_pdf, text_build):
    pdf = print_pdf("columns", sample_html("body { column-count: 2; column-gap: 2em; }"))
    data = _extract(pdf)
    assert sorted(e["uid"] for e in data["events"]) == sorted(e["uid"] for e in text_build["events"])
    # and in the sample's order: every sample line is found after the one before it
    # (a paragraph may break where a column ends, so the text is searched as one string)
    text = "".join(_no_space(b.text) for b in read_document(pdf).blocks
                   if isinstance(b, Paragraph))
    at = 0
    for line in SAMPLE.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            want = _no_space(line.translate({0xFF5E: "〜"}))
            assert want in text[at:], (line, text[at:at + 200])
            at = text.index(want, at) + len(want)


def test_letter_spaced_double_spaced_text_reads_as_written(print_pdf, text_build):
    """一太郎 and Word set characters apart (文字間隔) and rows far apart (行間 2): pdfminer
    then puts a space between every two characters and a box around every row. The
    sample printed so gives the text build's events, and its sentences read whole."""
    pdf = print_pdf("spaced", sample_html("p { letter-spacing: 0.25em; line-height: 2.6; }"))
    paragraphs = [b.text for b in read_document(pdf).blocks if isinstance(b, Paragraph)]
    assert not [t for t in paragraphs if re.search(r"[^\x00-\x7f] [^\x00-\x7f] [^\x00-\x7f]", t)]
    assert sorted(e["uid"] for e in _extract(pdf)["events"]) == \
        sorted(e["uid"] for e in text_build["events"])
    # pdftotext (poppler) sees the same letters in the same order
    poppler = _no_space("".join(_pdftotext(pdf, p) for p in (1, 2)))
    assert _no_space("".join(paragraphs))[:400] in poppler


def test_a_list_mark_after_a_full_stop_starts_an_item(print_pdf):
    """Minutes put one bullet a row; a row that ends a sentence at the right edge is not
    wrapped into the bullet after it. (Each row below is 16–18 full-width characters in a
    column 18 wide, so every one of them reaches the edge.)"""
    rows = ["・無人ヘリ農薬散布：４月２５日予定。", "・研修旅行：７月１１日（土）を予定。",
            "・会費は年額３千円で前年と同額の", "・神社清掃作業：４月２９日から開始"]
    page = ('<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
            f"{_STYLE} p {{ width: 18.2em; }}</style></head><body>"
            "<p>令和8年度 事業計画</p><p>" + "<br>".join(rows) + "</p></body></html>")
    pdf = print_pdf("bullets", page)
    paragraphs = [b.text.strip() for b in read_document(pdf).blocks
                  if isinstance(b, Paragraph) and b.text.strip()]
    # no full stop: the next row may be the row's continuation, and is joined
    assert paragraphs[1:] == [rows[0], rows[1], rows[2] + rows[3]]
    days = [e["first_day"] for e in _extract(pdf)["events"]]
    assert days[:2] == ["2026-04-25", "2026-07-11"]


def _speech_pdf(print_pdf, name: str, made: bytes) -> bytes:
    """A mayor's report without a year anywhere in its text (as 市政報告 are), printed by
    chromium, its CreationDate set to ``made`` (D:YYYYMMDD…, the same length as
    chromium's, so the file's cross references stay right)."""
    page = ('<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
            f"{_STYLE}</style></head><body>"
            "<p>防災関係につきましては、１１月１９日に行政計画審議会を開催し、基本構想について"
            "審議いたしました。</p>"
            "<p>成人式につきましては、来年１月１１日に市民会館において挙行いたします。</p>"
            "</body></html>")
    data = print_pdf(name, page).read_bytes()
    stamp = re.search(rb"/CreationDate\s*\(D:(\d{8})", data)
    assert stamp, "chromium wrote no CreationDate"
    return data[:stamp.start(1)] + made + data[stamp.end(1):]


def test_a_pdf_without_years_is_read_at_the_day_it_was_made(print_pdf, tmp_path):
    """No year in the text: the PDF's CreationDate is the document's date, and year-less
    dates (and 来年) are read against it, as a person reading the report would."""
    for made, expected in ((b"20251127", ("2025-11-19", "2026-01-11")),
                           (b"20221205", ("2022-11-19", "2023-01-11"))):
        path = tmp_path / f"speech-{made.decode()}.pdf"
        path.write_bytes(_speech_pdf(print_pdf, "speech", made))
        assert read_document(path).date.isoformat().replace("-", "") == made.decode()
        events = _extract(path)["events"]
        assert sorted(e["first_day"] for e in events) == list(expected), events


def test_running_headers_footers_and_page_numbers_are_dropped(print_pdf, chromium_pdf):
    """chromium's own header and footer (date, title, file URL, ``1/7``) on every page:
    the text read is the same as without them."""
    framed = print_pdf("framed", sample_html(), header_footer=True)
    assert "/" in _pdftotext(framed, 2)  # the footer's "2/7" and the URL are on the page
    def texts(pdf):
        return [b.text for b in read_document(pdf).blocks if isinstance(b, Paragraph)]
    assert texts(framed) == texts(chromium_pdf)


def test_page_numbers_of_the_committed_pdf_are_dropped():
    for pdf in (DATA / "r2-jigyo-hokoku.pdf", DATA / "reading-r2-embedded.pdf"):
        assert re.search(r"^\s*-\s*2\s*-\s*$", _pdftotext(pdf, 2), re.M)
        texts = [b.text for b in read_document(pdf).blocks if isinstance(b, Paragraph)]
        assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t.strip())]


# ---------------------------------------------------------------------------- tables


def _table_rows() -> list[tuple[str, str]]:
    """(date, activity) of the sample's date-first bullets: ・令和2年7月14日～20日 全体…"""
    rows = []
    for line in SAMPLE.read_text(encoding="utf-8").split("\n"):
        m = re.match(r"- ・(令和\S+日|令和\S+月)\s+(.+)", line)
        if m:
            rows.append((m[1], m[2]))
    assert len(rows) >= 3
    return rows


def test_ruled_table_gives_table_cells(print_pdf):
    rows = _table_rows()
    cells = "".join(f"<tr>{'<td rowspan=%d>共同監査</td>' % len(rows) if i == 0 else ''}"
                    f"<td>{html.escape(d)}</td><td>{html.escape(a)}</td></tr>"
                    for i, (d, a) in enumerate(rows))
    page = (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>{_STYLE} '
            "table { border-collapse: collapse; } td, th { border: 1px solid #000; "
            "padding: 2pt 4pt; }</style></head><body><p>開催状況</p><table><tr><th>区分</th>"
            f"<th>期日</th><th>内容</th></tr>{cells}</table><p>以上</p></body></html>")
    document = read_document(print_pdf("table", page))
    (table, *_) = [b for b in document.blocks if isinstance(b, Table)]
    assert [c.text for c in table.header[0]] == ["区分", "期日", "内容"]
    got = [tuple(_no_space(c.text) for c in row) for row in table.rows]
    # the merged 区分 cell is repeated into every row it covers; chromium writes ～ as 〜
    # (one glyph in the font), which only matching folds
    assert got == [("共同監査", _no_space(d).replace("～", "〜"), _no_space(a)) for d, a in rows]
    assert table.at.page == 1 and all(c.at.page == 1 for row in table.rows for c in row)
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert texts[0] == "開催状況" and not any(_no_space(rows[0][1]) in _no_space(t) for t in texts)
    # the table sits between the paragraphs around it
    kinds = [type(b).__name__ for b in document.blocks if not getattr(b, "text", "x") == ""]
    assert kinds[:3] == ["Paragraph", "Table", "Paragraph"]


def test_corpus_resolution_table_is_a_table():
    """03's 理事会議決事項 (p3): 議決年月日 / 件名, one cell wrapping over several lines."""
    pdf = _corpus() / "docs" / "03_nankoku-tochi-kaihatsu-kosha-r3-jigyo-hokoku.pdf"
    tables = [b for b in read_document(pdf).blocks if isinstance(b, Table) and b.at.page == 3]
    cells = [_no_space(c.text) for t in tables for row in (*t.header, *t.rows) for c in row]
    assert "議決年月日" in "".join(cells)
    assert {"令和３年５月１８日", "令和４年１月５日"} <= set(cells) | {
        c for c in cells if c.startswith("令和")}


# ---------------------------------------------------------------------------- corpus


def _gold_where() -> list[tuple[str, int, list[str]]]:
    """(file, page, texts) of gold.tsv's PDF rows; `where` is ``pN: text`` with ``…``
    between two parts and, for a timetable, a ``(column …)`` remark after the text."""
    rows = []
    with open(_corpus() / "gold.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not row["file"].endswith(".pdf"):
                continue
            m = re.fullmatch(r"p(\d+): (.*)", row["where"])
            assert m, row
            text = re.sub(r"\s*\(column [^)]*\)$", "", m[2])
            rows.append((row["file"], int(m[1]), [p for p in text.split("…") if p.strip()]))
    return rows


def test_every_gold_date_text_is_read_on_its_page():
    rows = _gold_where()
    assert len(rows) == 68
    documents = {}
    missing = []
    for file, page, parts in rows:
        if file not in documents:
            documents[file] = read_document(CORPUS / "docs" / file)
        text = ""
        for block in documents[file].blocks:
            if block.at.page != page:
                continue
            if isinstance(block, Table):
                # a date may run on across cells of a row, or down a column (懇親会 /
                # 17:00-19:00 in a timetable): both readings are searched
                grid = (*block.header, *block.rows)
                text += "".join(c.text for row in grid for c in row)
                text += "".join(row[i].text for i in range(len(grid[0])) for row in grid)
            else:
                text += block.text
        missing += [(file, page, p) for p in parts if _no_space(p) not in _no_space(text)]
    assert missing == []


# ---------------------------------------------------------------------------- hostile


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the numbered ``objects`` (1 is the catalog) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages_pdf(count: int, content: bytes, *, flate: bool = False) -> bytes:
    """``count`` pages sharing one content stream (object 4), with a Helvetica font."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    stream = _stream(zlib.compress(content, 9), b"/Filter /FlateDecode") if flate \
        else _stream(content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               stream]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * count
    return _pdf(objects)


def _run_capped(path: Path, limit_mb: int) -> tuple[str, int]:
    """``aical extract`` on ``path`` in a child whose address space is capped; returns its
    stderr and its peak resident memory in MB."""
    code = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
from aical.cli import main
sys.argv = ["aical", "extract", {str(path)!r}]
try:
    main()
finally:
    sys.stderr.write("\\nPEAK %d\\n" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    peak = int(re.search(r"PEAK (\d+)", result.stderr)[1])
    return result.stderr, peak


def test_flate_bomb_is_refused_within_a_memory_cap(tmp_path):
    """2 MB that inflate to 2 GB: refused with aical's message, in far less memory than a
    decompressed stream would take."""
    packer = zlib.compressobj(9)
    chunk = b"0" * (64 << 20)
    bomb = b"".join(packer.compress(chunk) for _ in range(32)) + packer.flush()
    assert len(bomb) < 3 << 20
    path = tmp_path / "bomb.pdf"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                           _stream(bomb, b"/Filter /FlateDecode"), page]))
    stderr, peak = _run_capped(path, 1500)
    assert "decompresses to more than" in stderr and "bomb.pdf" in stderr, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert peak < 600, f"peak {peak} MB"
    assert stream_budget(path.stat().st_size) < 300 << 20


def test_small_stream_shared_by_many_pages_stays_bounded(tmp_path):
    """One content stream of 40 MB of operators (40 KB compressed) used by 500 pages: each
    use counts, so the run ends with aical's message, not after 20 GB of parsing."""
    path = tmp_path / "shared.pdf"
    path.write_bytes(_pages_pdf(500, b"q Q " * (10 << 20), flate=True))
    with pytest.raises(InputError, match="decompresses to more than"):
        read_document(path)


def test_thousands_of_pages_end_in_a_message(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pages_pdf(MAX_PAGES * 5, b"BT /F1 12 Tf 72 720 Td (x) Tj ET"))
    with pytest.raises(InputError, match="pages, over the limit") as info:
        read_document(path)
    assert info.value.file == str(path) and info.value.hint


def test_many_pages_within_the_limit_are_read(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pages_pdf(300, b"BT /F1 12 Tf 72 400 Td (Reiwa 2-nen) Tj ET"))
    document = read_document(path)
    assert {b.at.page for b in document.blocks} == set(range(1, 301))


@pytest.mark.parametrize("damage", ["no-catalog", "bad-stream", "loop"])
def test_broken_structure_is_an_input_error(tmp_path, damage):
    objects = {
        "no-catalog": [b"<< /Type /Pages /Kids [] /Count 0 >>"],
        "bad-stream": [b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                       _stream(b"\x78\x9cnot zlib at all" * 50, b"/Filter /FlateDecode"),
                       b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Contents 3 0 R >>"],
        "loop": [b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"],
    }[damage]
    path = tmp_path / f"{damage}.pdf"
    path.write_bytes(_pdf(objects))
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.file == str(path) and info.value.hint


# ---------------------------------------------------------------------------- OCR


def _scan(pdf: Path, out: Path, dpi: int = 300) -> Path:
    """What a scanner gives (tests/formats.py's maker, shared with the bench)."""
    from formats import sample_scan

    return sample_scan(pdf, out, dpi)


@pytest.fixture(scope="session")
def scan(tmp_path_factory) -> Path:
    return _scan(DATA / "r2-jigyo-hokoku.pdf", tmp_path_factory.mktemp("scan") / "scan.pdf")


def _has_tesseract() -> bool:
    from aical.read.ocr import tesseract

    return tesseract() is not None


@pytest.fixture(scope="session")
def scan_build(scan) -> dict:
    require(_has_tesseract(), "tesseract with Japanese data (tesseract-ocr-jpn) is not installed")
    return _extract(scan)


def test_scan_without_tesseract_says_what_to_install(scan, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="without a text layer") as info:
        read_document(scan)
    assert "tesseract-ocr-jpn" in info.value.hint


@pytest.mark.parametrize(("listed", "models"), [
    ("eng\njpn\nosd", "jpn"), ("Japanese\neng\njpn\nosd", "jpn+Japanese"),
    ("Japanese\neng", "Japanese"), ("eng\nosd", None)])
def test_ocr_reads_with_the_japanese_models_installed(monkeypatch, listed, models):
    """jpn and the script model Japanese together where both are installed; one alone
    where only it is (a user with only tesseract-ocr-jpn still gets OCR); none: no OCR."""
    import shutil

    from aical.read import ocr

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a[0], 0, stdout=f'List of available languages in "/x/" (4):\n{listed}\n'))
    assert (ocr._installed() or (None, None))[1] == models


def test_scan_is_read_by_ocr_with_a_note_per_page(scan_build, expected_rows):
    """OCR of the sample scanned at 300 dpi gives exactly the 84 expected events (body,
    days, precision, mode, venue), and each page carries a note that its text needs
    checking. It takes Tesseract's two Japanese models read together (jpn+Japanese: jpn
    alone reads the heading イ 検討会 as 検討人, which misnames 12 bodies) and the repairs of
    what they misread in dates (no wave dash in jpn's character set: ～ read as て/へ/ご or
    lost; 令和 as 偽和/信和)."""
    from aical.read.ocr import _installed

    require("Japanese" in _installed()[1].split("+"),
            "Tesseract's Japanese script model (tesseract-ocr-script-jpan) is not installed")
    notes = [w for w in scan_build["warnings"] if w["code"] == "ocr_text"]
    assert [w["page"] for w in notes] == list(range(1, 8))
    want = Counter((r["first"], r["last"]) for r in expected_rows)
    got = Counter((e["first_day"], e["last_day"]) for e in scan_build["events"])
    assert got == want, (sorted((want - got).elements()), sorted((got - want).elements()))
    assert sorted(essentials(e) for e in scan_build["events"]) == expected(expected_rows)


@pytest.mark.parametrize(("read", "meant"), [
    # the wave dash the jpn model cannot write: lost, or read as て, へ, ご, ー
    ("（令和2年5月26日て29日、書面開催）", "（令和2年5月26日～29日、書面開催）"),
    ("6月18日へ24日", "6月18日～24日"), ("9月16日ご10月2日", "9月16日～10月2日"),
    ("7月14日20日", "7月14日～20日"), ("8月11月", "8月～11月"),
    ("12月28日令和3年1月8日", "12月28日～令和3年1月8日"),
    ("7 月 1 日 ー 3 日", "7 月 1 日～3 日"),
    # letters and look-alikes inside numbers
    ("2O20年1O月1曰", "2020年10月1日"), ("2l日", "2l日"), ("1l2", "112"), ("26|27", "26|27"),
    ("H2O", "H2O"),
    # brackets around or between Japanese are full-width; a line's marker, Latin, stay
    ("第1回幹事会 (令和2年5月26日)", "第1回幹事会（令和2年5月26日）"),
    ("システム (CALS/EC) 事業", "システム（CALS/EC）事業"),
    ("(2) あいち電子調達", "(2) あいち電子調達"), ("see (the) page", "see (the) page"),
    # what is no misreading stays
    ("開催日 令和2年5月1日", "開催日 令和2年5月1日"), ("5月1日と2日", "5月1日と2日"),
    ("毎月1日一斉清掃", "毎月1日一斉清掃"),
])
def test_ocr_misreadings_in_dates_are_repaired(read, meant):
    from aical.read.ocr import repair_ocr_text

    assert repair_ocr_text(read) == meant


def test_a_misread_era_takes_the_era_the_document_reads_elsewhere():
    from aical.read.ocr import _repair_eras

    assert _repair_eras(["令和2年5月1日", "（偽和3年2月1日）", "信和元年度"]) == \
        ["令和2年5月1日", "（令和3年2月1日）", "令和元年度"]
    # words ending in 和 are no era; a document reading no era, or both equally, is left
    assert _repair_eras(["令和2年", "平和3年", "緩和2年"]) == ["令和2年", "平和3年", "緩和2年"]
    assert _repair_eras(["偽和3年"]) == ["偽和3年"]
    assert _repair_eras(["令和2年", "昭和50年", "偽和3年"]) == ["令和2年", "昭和50年", "偽和3年"]
    # the era's years bound it: 令和 has had no 50th year
    assert _repair_eras(["令和2年", "令和3年", "昭和50年", "偽和48年"])[-1] == "昭和48年"


def test_lines_the_page_read_left_out_are_found_and_nothing_else():
    """Ink a line high and a few characters wide that no line Tesseract read covers is a
    missed line; a table rule, a speck, a picture and the lines read are not."""
    from PIL import Image, ImageDraw

    from aical.read.ocr import _missed_lines

    image = Image.new("L", (1000, 1000), 255)
    draw = ImageDraw.Draw(image)
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\t" \
        "width\theight\tconf\ttext"
    rows = [header]
    for i, top in enumerate((100, 160, 220, 400, 460)):  # lines read: ink under their boxes
        draw.rectangle((50, top, 900, top + 39), fill=0)
        rows.append(f"4\t1\t1\t1\t{i + 1}\t0\t50\t{top}\t851\t40\t-1\t")
    draw.rectangle((50, 300, 200, 339), fill=0)     # missed: a short heading
    draw.rectangle((50, 520, 950, 522), fill=0)     # a rule, too thin for a line
    draw.rectangle((500, 600, 504, 640), fill=0)    # a speck, too narrow
    draw.rectangle((50, 700, 900, 950), fill=0)     # a picture, taller than a line
    assert _missed_lines(image, "\n".join(rows)) == [(50, 300, 201, 340)]
    assert _missed_lines(image, header) == []


def test_ocr_flag_reads_a_scanned_page_in_a_text_pdf(tmp_path):
    """A PDF of text pages with one scanned page: without --ocr the page is skipped with a
    note; with --ocr its text is read too."""
    require(_has_tesseract(), "tesseract with Japanese data (tesseract-ocr-jpn) is not installed")
    import pypdfium2

    scanned = _scan(DATA / "r2-jigyo-hokoku.pdf", tmp_path / "scan.pdf")
    mixed = pypdfium2.PdfDocument.new()
    mixed.import_pages(pypdfium2.PdfDocument(DATA / "r2-jigyo-hokoku.pdf"), [0, 1, 2, 3, 4, 5])
    mixed.import_pages(pypdfium2.PdfDocument(scanned), [6])
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    plain = _extract(path)
    assert [(w["code"], w["page"]) for w in plain["warnings"] if "text" in w["code"]] == \
        [("no_text_layer", 7)]
    read = _extract("--ocr", path)
    assert [(w["code"], w["page"]) for w in read["warnings"] if "text" in w["code"]] == \
        [("ocr_text", 7)]
    assert len(read["events"]) > len(plain["events"])
    assert {e["source"]["page"] for e in read["events"]} >= {7}
