"""Make PDFs of the sample report, the way Japanese public bodies' PDFs are made.

Dev-only: the tests read the committed PDFs and never need a PDF writer.

    .venv/bin/pip install reportlab            # once, not a project dependency
    .venv/bin/python tests/data/make_pdf.py cid tests/data/r2-jigyo-hokoku.pdf
    .venv/bin/pip install fpdf2                # likewise, for the embedded-font PDF
    .venv/bin/python tests/data/make_pdf.py embedded tests/data/reading-r2-embedded.pdf
    .venv/bin/pip install pypdf                # for the two hostile PDFs below
    .venv/bin/python tests/data/make_pdf.py encrypted tests/data/reading-encrypted.pdf
    .venv/bin/python tests/data/make_pdf.py scan tests/data/reading-scan.pdf

``cid``: reportlab's built-in, non-embedded CID font ``HeiseiKakuGo-W5`` with the
``UniJIS-UCS2-H`` CMap (Adobe-Japan1): the classic government-PDF case, where the
reader must map CIDs to Unicode through Adobe's CMaps. A4, 10.5 pt, each sample line a
paragraph wrapped at the text column; a blank sample line is a blank line; a paragraph
never splits across pages; a centred ``- n -`` page number at the foot, as reports have.
``invariant=1`` makes the output byte-identical from run to run.

``embedded``: fpdf2 with IPAGothic (``apt-get install fonts-ipafont-gothic``), same
layout: an embedded TrueType subset (CIDFontType2, Identity-H, ToUnicode CMap), as
Word's "save as PDF" writes. Two other writers did not make this case: Debian's chromium
prints Noto Sans CJK as Type3 glyphs, and fpdf2 2.8 writes Noto's CFF outlines with a
one-byte ToUnicode no reader can follow (pdfminer and pypdf both get no text).

``encrypted``: the ``cid`` PDF with a user password (``secret``, RC4), which a reader
must refuse. ``scan``: a page with only a drawn box and no text, as a scan without OCR.
"""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "r2-jigyo-hokoku.txt"


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


def make_cid(out) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    font, size = "HeiseiKakuGo-W5", 10.5
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    left, right, top, bottom = 20 * mm, width - 20 * mm, height - 20 * mm, 25 * mm
    leading = size * 1.4

    def wrap(line: str) -> list[str]:
        rows, row = [], ""
        for ch in line:
            if row and pdfmetrics.stringWidth(row + ch, font, size) > right - left:
                rows.append(row)
                row = ""
            row += ch
        return [*rows, row]

    canvas = Canvas(out if not isinstance(out, Path) else str(out), pagesize=A4, invariant=1)
    canvas.setTitle("令和2年度事業報告")
    page = 1
    y = top

    def footer() -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(width / 2, 12 * mm, f"- {page} -")

    for line in sample_lines():
        rows = wrap(line) if line else [""]
        if y - leading * len(rows) < bottom:
            footer()
            canvas.showPage()
            page += 1
            y = top
        canvas.setFont(font, size)
        for row in rows:
            y -= leading
            if row:
                canvas.drawString(left, y, row)
    footer()
    canvas.save()


def make_embedded(out: Path) -> None:
    from fpdf import FPDF

    size = 10.5
    leading = size * 1.4 * 25.4 / 72  # mm, as fpdf2 measures
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(__import__("datetime").datetime(2021, 6, 1))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.add_font("IPAGothic", fname="/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
    column = 210 - 40

    def wrap(line: str) -> list[str]:
        rows, row = [], ""
        for ch in line:
            if row and pdf.get_string_width(row + ch) > column:
                rows.append(row)
                row = ""
            row += ch
        return [*rows, row]

    def footer() -> None:
        pdf.set_font("IPAGothic", size=9)
        pdf.set_xy(0, 297 - 15)
        pdf.cell(210, 5, f"- {pdf.page} -", align="C")

    pdf.add_page()
    y = 20.0
    for line in sample_lines():
        pdf.set_font("IPAGothic", size=size)
        rows = wrap(line) if line else [""]
        if y + leading * len(rows) > 297 - 25:
            footer()
            pdf.add_page()
            y = 20.0
        pdf.set_font("IPAGothic", size=size)
        for row in rows:
            y += leading
            if row:
                pdf.text(20, y, row)
    footer()
    pdf.output(str(out))


def make_encrypted(out: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    plain = io.BytesIO()
    make_cid(plain)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.add_metadata({"/Producer": "make_pdf.py"})
    with open(out, "wb") as f:
        writer.write(f)


def make_scan(out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(out), pagesize=A4, invariant=1)
    canvas.rect(50, 50, 400, 600, fill=1)
    canvas.save()


if __name__ == "__main__":
    kind, target = sys.argv[1], Path(sys.argv[2])
    {"cid": make_cid, "embedded": make_embedded, "encrypted": make_encrypted,
     "scan": make_scan}[kind](target)
