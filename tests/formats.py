"""The sample report in other formats, made from samples/r2-jigyo-hokoku.txt in the tests.

Each maker reads the text's lines the way a person retyping the report into a web page
or a Word file would mark them, using its own small rules (independent of aical's
extractor): the title line is the top heading; ``1 …``, ``(1) …``, ``ア …``,
``(ア) …`` and ``【…】`` lines are headings of levels 2–6; ``- ・…`` lines are items of a
bulleted list; every other non-blank line is a paragraph (``【…】`` group labels too, as
pages write them in bold). Blank lines carry nothing.

One slip of the sample is marked as its author meant it: ``(4) 共通課題研究会`` follows
``(イ)`` under ``オ 研究会`` (its number goes backwards; the text build warns
``heading_out_of_sequence`` and reads it as ``(ウ)``), so a person marking up the page
gives it its siblings' level.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from conftest import SAMPLE

_LEVELS = (
    (re.compile(r"\d{1,2} \S.*"), 2),
    (re.compile(r"\(\d{1,2}\) \S.*"), 3),
    (re.compile(r"[ア-ヲ] \S.*"), 4),
    (re.compile(r"\([ア-ヲ]\) \S.*"), 5),
)
_BULLET = re.compile(r"- ・\s*")


def sample_parts(text: str | None = None) -> Iterator[tuple[str, object, str]]:
    """(kind, level, text) of each non-blank line: ("heading", level, text),
    ("item", 0, text without its "- ・") or ("paragraph", 0, text)."""
    text = SAMPLE.read_text(encoding="utf-8") if text is None else text
    title_seen = False
    last_number = 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if not title_seen:
            title_seen = True
            yield "heading", 1, line
            continue
        level = next((lv for pattern, lv in _LEVELS if pattern.fullmatch(line)), None)
        if level == 3:
            number = int(re.match(r"\((\d+)\)", line)[1])
            if number <= last_number and number != 1:
                level = 5  # the slip described above
            else:
                last_number = number
        elif level == 2:
            last_number = 0
        if level is not None and len(line) <= 60:
            yield "heading", level, line
        elif _BULLET.match(line):
            yield "item", 0, _BULLET.sub("", line, count=1)
        else:
            yield "paragraph", 0, line


def sample_html(*, chrome: bool = True) -> str:
    """The sample as a municipal page: header and nav, breadcrumbs, the report in an
    article, a footer and scripts (chrome=True); headings, <ul> lists and paragraphs."""
    out = ['<!DOCTYPE html>', '<html lang="ja">', "<head>",
           '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
           "<title>令和2年度事業報告｜あいち電子自治体推進協議会</title>",
           "<style>body { font-family: sans-serif }</style>",
           "<script>var menu = '第1回総会（令和2年5月1日）';</script>", "</head>", "<body>"]
    if chrome:
        out += ['<header id="top"><p class="logo">あいち電子自治体推進協議会</p>',
                '<nav><ul><li><a href="/">ホーム</a></li><li><a href="/news">お知らせ'
                "（令和3年4月1日更新）</a></li></ul></nav></header>",
                '<div class="breadcrumb"><a href="/">ホーム</a> &gt; 事業報告</div>']
    out.append('<main><article id="contents">')
    in_list = False
    for kind, level, text in sample_parts():
        if kind == "item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"  <li>{html.escape(text)}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if kind == "heading" and level == 1:
            # the report's title line as such pages set it: a styled paragraph (an <h1> is
            # read as the outermost heading, a body around every meeting)
            out.append(f'<p class="title">{html.escape(text)}</p>')
        elif kind == "heading":
            out.append(f"<h{level}>{html.escape(text)}</h{level}>")
        elif text.startswith("【"):
            out.append(f"<p><strong>{html.escape(text)}</strong></p>")
        else:
            out.append(f"<p>{html.escape(text)}</p>")
    if in_list:
        out.append("</ul>")
    out.append("</article></main>")
    if chrome:
        out += ['<aside><h2>関連リンク</h2><ul><li>第9回総会（令和3年5月20日）</li></ul></aside>',
                "<footer><p>Copyright 令和3年 あいち電子自治体推進協議会</p></footer>",
                "<script>document.write('令和2年6月1日');</script>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def sample_docx(path) -> None:
    """The sample as Word would hold it: Word's built-in Title / Heading n styles (python-docx's
    default template), list items in the List Bullet style (numbered through the style),
    paragraphs in Normal, 【】 labels in bold."""
    import docx

    document = docx.Document()
    for kind, level, text in sample_parts():
        if kind == "heading" and level == 1:
            document.add_paragraph(text, style="Title")
        elif kind == "heading":
            document.add_heading(text, level=level - 1)
        elif text.startswith("【"):
            document.add_paragraph().add_run(text).bold = True
        elif kind == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


ERA_DATE = '[$-ja-JP]ggge"年"m"月"d"日"'
ERA_MONTH = '[$-ja-JP]ggge"年"m"月"'


def sample_xlsx(path, rows) -> None:
    """The sample's 84 meetings (rows of tests/data/r2-jigyo-hokoku.expected.tsv) as an Excel
    schedule: a title row, a blank row, then a header (会議体 / 会議名 / 開催日 / 終了日 /
    開催方法 / 場所) and one row per meeting, its days real date cells in the era format
    ``ggge"年"m"月"d"日"`` (a meeting the report dates by month only, 8月～11月, in the
    month format ``ggge"年"m"月"``, as a person keeping the sheet would write it: Excel
    stores a day even then, the format says it is none); the title merged across the
    columns."""
    import datetime as dt

    import openpyxl

    modes = {"written": "書面開催", "online": "オンライン", "in_person": "対面",
             "bulletin": "LGWAN掲示板", "video": "動画配信", "": ""}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "会議日程"
    sheet.append(["令和2年度 会議開催実績"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["会議体", "会議名", "開催日", "終了日", "開催方法", "場所"])
    for row in rows:
        sheet.append([row["body"], row["summary_has"], dt.date.fromisoformat(row["first"]),
                      dt.date.fromisoformat(row["last"]), modes.get(row["mode"], row["mode"]),
                      row["venue"]])
        for column in ("C", "D"):
            sheet[f"{column}{sheet.max_row}"].number_format = \
                ERA_MONTH if row["precision"] == "month" else ERA_DATE
    book.save(str(path))


def sample_markdown() -> str:
    """The sample as a site generator's Markdown page (Jekyll, Hugo): the title in the
    front matter, which the site's layout sets as the page's heading; headings
    ``##``–``######`` by level, bullets as ``-`` items, 【】 labels in bold, paragraphs as
    lines (a blank line between blocks, as Markdown writers put)."""
    out = ["---", "layout: page"]
    for kind, level, text in sample_parts():
        if kind == "heading" and level == 1:
            out += [f'title: "{text}"', "---", ""]
        elif kind == "heading":
            out += ["#" * level + " " + text, ""]
        elif kind == "item":
            out.append(f"- {text}")
        elif text.startswith("【"):
            out += ["", f"**{text}**", ""]
        else:
            out += ["", text, ""]
    return "\n".join(out) + "\n"


def sample_tsv(rows) -> str:
    """The sample's 84 meetings as a TAB-separated sheet saved from a spreadsheet (what the
    XLSX maker writes, with its dates as text: ``令和2年5月26日``, a month-only meeting as
    ``令和2年8月``) under a title line."""
    import datetime as dt

    modes = {"written": "書面開催", "online": "オンライン", "in_person": "対面",
             "bulletin": "LGWAN掲示板", "video": "動画配信", "": ""}

    def era(day: str, precision: str) -> str:
        d = dt.date.fromisoformat(day)
        text = f"令和{d.year - 2018}年{d.month}月"
        return text if precision == "month" else f"{text}{d.day}日"

    out = ["令和2年度 会議開催実績", "", "\t".join(["会議体", "会議名", "開催日", "終了日",
                                                  "開催方法", "場所"])]
    for row in rows:
        out.append("\t".join([row["body"], row["summary_has"], era(row["first"], row["precision"]),
                              era(row["last"], row["precision"]),
                              modes.get(row["mode"], row["mode"]), row["venue"]]))
    return "\n".join(out) + "\n"


def sample_scan(pdf, out, dpi: int = 300):
    """What a scanner gives: every page of ``pdf`` as a grey image of ``dpi``, wrapped as a
    PDF (no text layer), for the OCR path. 300 dpi is a document scanner's and a
    multifunction copier's default for text (200 dpi is their coarser "fast" setting)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil()
              for i in range(len(document))]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out
