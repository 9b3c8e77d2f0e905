"""PDF → :class:`~aical.document.Document`, through pdfplumber on top of pdfminer.six
(both imported only when a PDF is read).

What is read, page by page:

- **Text lines** in pdfminer's reading order; the rows a paragraph was wrapped into are
  joined again (:func:`_join_wrapped`), and text boxes are separated by an empty paragraph,
  as a blank line separates paragraphs in a text file.
- **Tables** from ruling lines and cell geometry (pdfplumber's ``lines`` strategy): a grid of
  at least 2 × 2 cells becomes a :class:`~aical.document.Table`; a merged cell's text is
  repeated into every cell it covers. Text inside a table is not read a second time.
- **Glyph repair** (:func:`repair_glyphs`): look-alike code points that PDF writers emit for
  ordinary kanji (Kangxi radicals, CJK radicals supplement, compatibility ideographs) and
  the ``‧`` / ``･`` list marks, in the displayed text.
- **Page furniture** is dropped: lines at the same place near the top or bottom of most
  pages (running headers and footers), and lone page numbers (``- 3 -``, ``3/15``).
- **Two columns**: a page whose lines leave a vertical gutter is read column by column.
- Every block's :class:`~aical.document.Location` has the page and the line on that page
  (counted from the top, lines side by side sharing a number): ``report.pdf:p3:12``.
- A page without a text layer (a scan) is read by OCR (:mod:`aical.read.ocr`) when asked,
  or when no page of the PDF has text; the document then carries a note that the text
  needs checking.

Limits, each ending in an :class:`InputError` rather than memory or time without bound:
:data:`MAX_PAGES` pages, and a budget of decompressed stream bytes tied to the file's size
(:func:`stream_budget`), which a compression bomb exceeds long before memory runs out.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from aical.document import Cell, Document, Location, Paragraph, Table, plausible_day
from aical.errors import InputError
from aical.messages import msg

#: Pages read at most: the longest real reports and minutes run to a few hundred pages.
MAX_PAGES = 1000

#: CJK Radicals Supplement code points and the ideograph whose glyph they share in
#: Japanese (then Korean, Traditional and Simplified Chinese) CJK fonts: a PDF writer that
#: maps a glyph back to the first code point the font gives it writes ⻑ for 長. Derived
#: from the cmaps of Noto Sans CJK (the same glyph on both code points).
_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫"
    "⺦丬⺨犭⺩𤣩⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻀艹⻂衤⻃覀⻄西⻅见⻆角⻇𧢲"
    "⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠"
    "⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)


def _glyph_table() -> dict[int, str]:
    pairs = [_SUPPLEMENT[i:i + 2] for i in range(0, len(_SUPPLEMENT), 2)]
    table = {ord(a): b for a, b in pairs}
    for o in range(0x2F00, 0x2FD6):  # Kangxi Radicals: NFKC gives the ideograph …
        table[o] = unicodedata.normalize("NFKC", chr(o))
    table[0x2F3E] = "戸"  # … except ⼾, whose NFKC 戶 is the Chinese form; Japanese writes 戸
    # CJK Compatibility Ideographs: their canonical decomposition is the unified ideograph
    # (the twelve that are unified themselves, such as 﨑, decompose to nothing and stay).
    for o in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
        unified = unicodedata.normalize("NFC", chr(o))
        if unified != chr(o):
            table[o] = unified
    # List marks: ‧ (HYPHENATION POINT) and ･ (HALFWIDTH KATAKANA MIDDLE DOT) stand for ・
    table[0x2027] = "・"
    table[0xFF65] = "・"
    return table


_GLYPHS = _glyph_table()


def repair_glyphs(text: str) -> str:
    """``text`` with the look-alikes a PDF writer put for ordinary characters replaced:
    ⽇ ⽉ ⻑ (radicals) → 日 月 長, compatibility ideographs → their unified forms
    (``見`` U+F9A8-style duplicates), ``‧`` / ``･`` → ``・``. What a person sees is what
    the author typed; nothing else changes."""
    return text.translate(_GLYPHS)


# ---------------------------------------------------------------------------- budget


def stream_budget(size: int) -> int:
    """Bytes of decompressed streams a PDF of ``size`` bytes may need: text and fonts
    compress 3–10×, so 64 MB plus 32 times the file is generous for any real document,
    capped at 1 GiB. A FlateDecode bomb (1000× and more) exceeds it and is refused."""
    return min(64 * 2**20 + 32 * size, 2**30)


@dataclass
class _Budget:
    left: int
    exceeded: bool = False

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            self.exceeded = True
            raise _OverBudget


class _OverBudget(Exception):  # noqa: N818 - internal signal, turned into an InputError
    """Raised inside pdfminer's decoders; pdfminer and pdfplumber may catch and wrap it,
    so :class:`_Budget` also remembers that it happened."""


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pdf_budget",
                                                                        default=None)


class _BudgetedZlib:
    """Stands in for the ``zlib`` module inside pdfminer's stream decoder: the same
    functions, but output stops at the current budget instead of at the end of memory."""

    def __init__(self, zlib) -> None:
        self._zlib = zlib
        self.error = zlib.error

    def decompress(self, data: bytes, *args) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return self._zlib.decompress(data, *args)
        d = self._zlib.decompressobj()
        out = d.decompress(data, max(budget.left, 0) + 1)
        budget.spend(len(out))
        if d.unconsumed_tail:
            budget.spend(budget.left + 1)
        if not d.eof:
            raise self._zlib.error("incomplete or truncated stream")
        return out

    def decompressobj(self, *args):
        return _BudgetedDecompressor(self._zlib.decompressobj(*args))


class _BudgetedDecompressor:
    def __init__(self, d) -> None:
        self._d = d

    def decompress(self, data: bytes, *args) -> bytes:
        out = self._d.decompress(data, *args)
        budget = _BUDGET.get()
        if budget is not None:
            budget.spend(len(out))
        return out

    def flush(self, *args) -> bytes:
        return self._d.flush(*args)


def _budgeted_lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    budget = _BUDGET.get()
    out = []
    for piece in LZWDecoder(io.BytesIO(data)).run():
        if budget is not None:
            budget.spend(len(piece))
        out.append(piece)
    return b"".join(out)


def _budgeted_runlength(data: bytes) -> bytes:
    """RunLengthDecode (PDF 32000 §7.4.5) into a bytearray, under the budget (pdfminer's
    own builds a list of ints, 28 bytes each)."""
    budget = _BUDGET.get()
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1:i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1:i + 2] * (257 - length)
            i += 2
        if budget is not None:
            budget.spend(len(piece))
        out += piece
    return bytes(out)


_PATCHED = False


def _install_budget() -> None:
    """Route pdfminer's stream decoders through the budget (once per process). Outside a
    :func:`read_pdf` call the budget is unset and they behave exactly as pdfminer's own."""
    global _PATCHED
    if _PATCHED:
        return
    import zlib

    from pdfminer import pdftypes

    pdftypes.zlib = _BudgetedZlib(zlib)
    pdftypes.lzwdecode = _budgeted_lzw
    pdftypes.rldecode = _budgeted_runlength
    _PATCHED = True


# ---------------------------------------------------------------------------- reading


@dataclass
class _Line:
    """One text line of a page, in PDF coordinates (y grows upwards)."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    box: int  # the text box (paragraph) it belongs to; lines of a box may be joined
    number: int = 0  # line on the page, from the top

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    tables: list[tuple[float, list[list[tuple[str, int]]]]]  # (top y, rows of (text, line))
    ocr: bool = False


def read_pdf(data: bytes, name: str, *, ocr: bool = False) -> Document:
    """A PDF's pages as one :class:`Document` (see the module's docstring for what is read).

    ``ocr`` reads pages without a text layer by OCR; a PDF with no text on any page is read
    by OCR in any case. Every failure is an :class:`InputError` naming ``name``.
    """
    pages, made = _read_pages(data, name, ocr=ocr)
    return dataclasses.replace(_document(pages, name), date=made)


def pdf_text(data: bytes, name: str) -> str:
    """The PDF's text, one line per written line (table rows with their cells separated by
    an ideographic space), for commands that read text (``aical dates``)."""
    lines: list[str] = []
    for block in read_pdf(data, name).blocks:
        if isinstance(block, Table):
            lines.extend("　".join(c.text.replace("\n", " ") for c in row)
                         for row in (*block.header, *block.rows))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _read_pages(data: bytes, name: str, *, ocr: bool) -> tuple[list[_Page], dt.date | None]:
    import logging

    # pdfminer logs font and xref trouble as WARNING; without a handler Python would
    # print those on stderr. A NullHandler silences that but keeps propagation.
    logger = logging.getLogger("pdfminer")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise InputError(name, msg("pdf.no_pdfplumber"), hint=msg("pdf.hint_install")) from None
    _install_budget()
    budget = _Budget(stream_budget(len(data)))
    token = _BUDGET.set(budget)
    try:
        pages = []
        textless = []
        with pdfplumber.open(io.BytesIO(data), laparams={}) as pdf:
            made = _made(pdf.metadata)
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(name, msg("pdf.too_many_pages", pages=f"{len(pdf.pages):,}",
                                           limit=f"{MAX_PAGES:,}"), hint=msg("pdf.hint_split"))
            for index, page in enumerate(pdf.pages):
                read = _read_page(page, index + 1, budget)
                page.close()  # pdfplumber caches every object of a page; drop them
                pages.append(read)
                if not read.lines and not read.tables:
                    textless.append(index)
    except InputError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise InputError(name, msg("pdf.encrypted"), hint=msg("pdf.hint_unprotected")) from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on a corrupt file
        if budget.exceeded:
            raise _over_budget(name, len(data)) from None
        cause = e.__cause__ or e.__context__ or e
        if isinstance(cause, (PDFEncryptionError, PDFPasswordIncorrect)):
            raise InputError(name, msg("pdf.encrypted"),
                             hint=msg("pdf.hint_unprotected")) from None
        if isinstance(cause, _OverBudget):
            raise _over_budget(name, len(data)) from None
        raise InputError(name, msg("pdf.damaged", kind=type(cause).__name__,
                                   detail=_short(cause)), hint=msg("pdf.hint_new_copy")) from None
    finally:
        _BUDGET.reset(token)
    if budget.exceeded:
        raise _over_budget(name, len(data))
    if not pages:
        raise InputError(name, msg("pdf.no_pages"), hint=msg("pdf.hint_new_copy"))
    if textless and (ocr or len(textless) == len(pages)):
        from aical.read.ocr import ocr_pages

        for index, lines in ocr_pages(data, name, textless):
            _number_lines(lines, [])
            pages[index].lines = lines
            pages[index].ocr = True
    _check_text(pages, name)
    return pages, made


def _made(metadata: dict) -> dt.date | None:
    """The day of the PDF's CreationDate (else ModDate), as the producer wrote it
    (``D:20251127105652+09'00'``: the date part is the producer's local day)."""
    for key in ("CreationDate", "ModDate"):
        value = metadata.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        if isinstance(value, str):
            day = plausible_day(value.removeprefix("D:")[:8])
            if day is not None:
                return day
    return None


def _over_budget(name: str, size: int) -> InputError:
    return InputError(name, msg("pdf.over_budget", mb=f"{stream_budget(size) // 2**20:,}",
                                size=f"{size:,}"), hint=msg("pdf.hint_new_copy"))


def _check_text(pages: list[_Page], name: str) -> None:
    text = "".join(line.text for p in pages for line in p.lines)
    text += "".join(t for p in pages for _, rows in p.tables for row in rows for t, _ in row)
    visible = re.sub(r"\(cid:\d+\)|\s", "", text)
    if not visible:
        from aical.read.ocr import ocr_hint

        raise InputError(name, msg("pdf.no_text"), hint=ocr_hint())
    if len(re.findall(r"\(cid:\d+\)", text)) > len(visible) // 4:
        raise InputError(name, msg("pdf.no_unicode"), hint=msg("pdf.hint_resave"))


def _short(e: BaseException) -> str:
    text = str(e) or "no detail"
    return text if len(text) <= 80 else text[:77] + "..."


def _read_page(page, number: int, budget: _Budget) -> _Page:
    from pdfminer.layout import LTTextBox, LTTextLine

    # Content streams are counted each time a page uses them, so a small stream shared
    # by thousands of pages cannot multiply into unbounded work.
    for ref in getattr(page.page_obj, "contents", None) or ():
        try:
            from pdfminer.pdftypes import resolve1

            stream = resolve1(ref)
            budget.spend(len(stream.get_data()))
        except _OverBudget:
            raise
        except Exception:  # noqa: BLE001 - a broken content stream is pdfminer's to report
            break
    layout = page.layout
    top = layout.y1
    tables = _find_tables(page, top)
    lines: list[_Line] = []
    for box_id, item in enumerate(layout):
        if not isinstance(item, LTTextBox):
            continue
        for line in item:
            if not isinstance(line, LTTextLine):
                continue
            text = _line_text(line)
            if not text.strip():
                continue
            cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
            if any(x0 <= cx <= x1 and y0 <= cy <= y1 for (x0, y0, x1, y1), _ in tables):
                continue  # read as a table cell
            lines.append(_Line(repair_glyphs(text), line.x0, line.x1, line.y0, line.y1, box_id))
    rows = _number_lines(lines, [y for (_, _, _, y1), grid in tables for y in grid[1]])
    placed = []
    for (x0, y0, x1, y1), (cells, row_tops) in tables:
        grid = [[(text, rows(row_top)) for text in row] for row, row_top in zip(cells, row_tops)]
        placed.append((y1, grid))
    return _Page(number, layout.x1 - layout.x0, layout.y1 - layout.y0, lines, placed)


def _line_text(line) -> str:
    """A text line's characters, with a space only where the gap before a character is
    clearly wider than the line's own spacing.

    pdfminer inserts a space wherever a gap exceeds a tenth of the glyph size. Japanese
    word processors (一太郎, Word with 文字間隔) set every character apart by more than that,
    so its text reads ``第 ４ ４ ４ 回`` and dates break into ``２ ０日``. The line's median
    gap is its normal spacing; a gap larger by a third of the glyph size is a real
    separation (a tab stop, 均等割り付け, a table-like row) and keeps one space.
    """
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return line.get_text().rstrip("\n")
    gaps = sorted(b.x0 - a.x1 for a, b in zip(chars, chars[1:]))
    normal = gaps[len(gaps) // 2] if gaps else 0.0
    out = [chars[0].get_text()]
    for a, b in zip(chars, chars[1:]):
        size = max(a.size, b.size, 1.0)
        text = b.get_text()
        if b.x0 - a.x1 > max(normal, 0.0) + size / 3 and not text.isspace() \
                and not a.get_text().isspace():
            out.append(" ")
        out.append(text)
    return "".join(out)


def _number_lines(lines: list[_Line], extra_tops: list[float]):
    """Number the page's lines from the top: lines whose tops are within a third of a
    line's height share a number (columns side by side, cells of one table row). Returns
    the numbering as a function of a top y, for table rows."""
    tops = sorted({round(line.y1, 1) for line in lines} | {round(y, 1) for y in extra_tops},
                  reverse=True)
    starts: list[float] = []
    for y in tops:
        if not starts or starts[-1] - y > 3.0:
            starts.append(y)

    def number(y: float) -> int:
        n = 1
        for i, start in enumerate(starts):
            if y <= start + 0.05:
                n = i + 1
        return n

    for line in lines:
        line.number = number(round(line.y1, 1))
    return number


def _find_tables(page, top: float):
    """Tables drawn with ruling lines, as ``((x0, y0, x1, y1), (rows of cell text, the top
    y of each row))`` in PDF coordinates. A grid needs 2 rows and 2 columns: a single
    framed box is a paragraph with a border, not a table."""
    if len(page.objects.get("line", ())) + len(page.objects.get("rect", ())) < 4:
        return []
    found = []
    for table in page.find_tables():
        rows = table.rows
        if len(rows) < 2 or max((len(r.cells) for r in rows), default=0) < 2:
            continue
        text = table.extract()
        grid = _resolve_spans(table, text)
        x0, t, x1, b = table.bbox
        row_tops = [top - (next((c[1] for c in r.cells if c), t)) for r in rows]
        found.append(((x0, top - b, x1, top - t),
                      ([[repair_glyphs(c) for c in row] for row in grid], row_tops)))
    return found


def _resolve_spans(table, text: list[list[str | None]]) -> list[list[str]]:
    """pdfplumber leaves ``None`` where a merged cell covers a grid position; put the merged
    cell's text there, so every row is as long as the widest and a lookup by column works."""
    cells = {}  # bbox → text
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None and c < len(text[r]):
                cells[bbox] = text[r][c] or ""
    width = max(len(r) for r in text)
    col_x = [None] * width
    row_y = []
    for r, row in enumerate(table.rows):
        ys = [b for b in row.cells if b]
        row_y.append((min(b[1] for b in ys) + min(b[3] for b in ys)) / 2 if ys else None)
        for c, bbox in enumerate(row.cells):
            if bbox is not None and col_x[c] is None:
                col_x[c] = (bbox[0] + bbox[2]) / 2
    out = []
    for r, row in enumerate(text):
        resolved = []
        for c in range(width):
            value = row[c] if c < len(row) else None
            if value is None and col_x[c] is not None and row_y[r] is not None:
                x, y = col_x[c], row_y[r]
                value = next((t for (x0, t0, x1, b0), t in cells.items()
                              if x0 <= x <= x1 and t0 <= y <= b0), "")
            resolved.append(value or "")
        out.append(resolved)
    return out


# ---------------------------------------------------------------------------- pages → blocks

#: A lone page number as printed at the foot or head of a page: ``- 3 -``, ``－３－``,
#: ``3``, ``(3)``, ``3/15``, ``3 ページ``, ``P.3``.
_PAGE_NUMBER = re.compile(
    r"[\s\-－‐―—–ー(（]*(?:[pP]\.?\s*)?[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?"
    r"\s*(?:ページ|頁)?[\s\-－‐―—–ー)）]*")
#: The top and bottom share of a page where running headers, footers and page numbers sit.
_MARGIN = 0.12


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers, footers and lone page numbers.

    A header or footer is a line near the top or bottom edge whose text (digits ignored,
    so ``- 3 -`` and ``- 4 -`` match) recurs at about the same height on at least half of
    the pages, and on two pages at least.
    """
    def key(page: _Page, line: _Line):
        shape = re.sub(r"[0-9０-９]+", "#", re.sub(r"\s", "", line.text))
        return shape, round(line.y1 / 6), round(page.height / 6)

    def in_margin(page: _Page, line: _Line) -> bool:
        return line.y0 >= page.height * (1 - _MARGIN) or line.y1 <= page.height * _MARGIN

    seen: dict = {}
    for p, page in enumerate(pages):
        for line in page.lines:
            if in_margin(page, line):
                seen.setdefault(key(page, line), set()).add(p)
    text_pages = sum(1 for page in pages if page.lines)
    drop = set()
    for p, page in enumerate(pages):
        for i, line in enumerate(page.lines):
            if not in_margin(page, line):
                continue
            repeated = len(seen[key(page, line)])
            if (repeated >= 2 and repeated * 2 >= text_pages) or _PAGE_NUMBER.fullmatch(line.text):
                drop.add((p, i))
    return drop


def _columns(page: _Page, lines: list[_Line]) -> tuple[list[_Line], float | None]:
    """The page's lines in reading order, and the gutter's x if there is one: as pdfminer
    ordered them, or column by column when the lines leave a vertical gutter in the middle
    of the page.

    A gutter is an x between 30 % and 70 % of the width that at most a tenth of the lines
    cross, with at least five lines wholly on each side at overlapping heights. Lines
    that cross it (a title over both columns) split the page into bands; each band is
    read left column first.
    """
    if len(lines) < 10:
        return lines, None
    best = None
    for step in range(31):
        x = page.width * (0.3 + 0.4 * step / 30)
        crossing = sum(1 for line in lines if line.x0 < x < line.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
    crossing, gutter = best
    left = [line for line in lines if line.x1 <= gutter]
    right = [line for line in lines if line.x0 >= gutter]
    if crossing > max(1, len(lines) // 10) or len(left) < 5 or len(right) < 5:
        return lines, None
    low, high = min(line.y0 for line in left), max(line.y1 for line in left)
    if sum(1 for line in right if low <= (line.y0 + line.y1) / 2 <= high) * 10 < len(right) * 3:
        return lines, None
    ordered: list[_Line] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda item: -item.y1):
        if line.x0 < gutter < line.x1:
            ordered.extend(_by_column(band, gutter))
            ordered.append(line)
            band = []
        else:
            band.append(line)
    ordered.extend(_by_column(band, gutter))
    return ordered, gutter


def _by_column(band: list[_Line], gutter: float) -> list[_Line]:
    return ([line for line in band if line.x1 <= gutter]
            + [line for line in band if line.x1 > gutter])


def _document(pages: list[_Page], name: str) -> Document:
    drop = _furniture(pages)
    kept = [[line for i, line in enumerate(page.lines) if (p, i) not in drop]
            for p, page in enumerate(pages)]
    # the document's right text edge, as one-column pages share it
    document_right = max((line.x1 for lines in kept for line in lines), default=0.0)
    blocks: list = []
    notes = []
    for page, lines in zip(pages, kept):
        ordered, gutter = _columns(page, lines)
        if gutter is None:
            def right_edge(line, _edge=document_right):
                return _edge
        else:
            edges = (max(line.x1 for line in ordered if line.x1 <= gutter),
                     max(line.x1 for line in ordered if line.x1 > gutter))

            def right_edge(line, _gutter=gutter, _edges=edges):
                return _edges[0] if line.x1 <= _gutter else _edges[1]
        items: list = list(_join_wrapped(ordered, right_edge))  # (top y, content)
        # a table goes before the first paragraph that starts below its top
        for table_top, grid in page.tables:
            at = next((i for i, (top, _) in enumerate(items) if top < table_top - 0.5),
                      len(items))
            items.insert(at, (table_top, grid))
        for _, item in items:
            if isinstance(item, list) and item and isinstance(item[0], list):
                blocks.append(_table(item, name, page.number))
            else:
                text, number = item
                blocks.append(Paragraph(text, Location(name, line=number, page=page.number)))
        if page.ocr:
            notes.append(("ocr_text", msg("pdf.page_ocr", page=page.number),
                          Location(name, page=page.number)))
        elif not page.lines and not page.tables:
            notes.append(("no_text_layer", msg("pdf.page_no_text", page=page.number),
                          Location(name, page=page.number)))
    # an empty paragraph closes each text box; drop doubles and the edges
    tidy: list = []
    for block in blocks:
        if isinstance(block, Paragraph) and not block.text and (
                not tidy or isinstance(tidy[-1], Paragraph) and not tidy[-1].text):
            continue
        tidy.append(block)
    while tidy and isinstance(tidy[-1], Paragraph) and not tidy[-1].text:
        tidy.pop()
    kind = "ocr" if pages and all(p.ocr or not p.lines for p in pages) and \
        any(p.ocr for p in pages) else "pdf"
    return Document(name, kind, tuple(tidy), encoding="pdf", notes=tuple(notes))


def _table(grid: list[list[tuple[str, int]]], name: str, page: int) -> Table:
    rows = tuple(tuple(Cell(text, Location(name, line=line, page=page)) for text, line in row)
                 for row in grid)
    # a first row of labels only (議決年月日 / 件名) is the header
    header = rows[:1] if len(rows) > 1 and not any(
        re.search(r"[0-9０-９]", c.text) for c in rows[0]) else ()
    return Table(header, rows[len(header):], rows[0][0].at)


# A list mark that opens a row after a full stop starts an item of its own, even when the
# row before it ran to the right edge (・ …継続している。 / ・ 当該者の…).
_ITEM_MARK = re.compile(r"^[\s\u3000]*[・･●○◆◇■□▪•※→◎【]")
_SENTENCE_END = re.compile(r"[。．.）)」！？!?][\s\u3000]*$")


def _new_item(before: str, row: str) -> bool:
    """``row`` opens a list item of its own rather than continuing ``before``."""
    return _SENTENCE_END.search(before) is not None and _ITEM_MARK.match(row) is not None


def _join_wrapped(lines: list[_Line], right_edge):
    """Paragraph texts with the line they start on, the rows a paragraph was wrapped into
    joined again; an empty text closes each text box.

    A row is taken as wrapped when it reaches the right text edge (``right_edge(row)``: the
    document's, or its column's on a two-column page; within two
    character heights: a line-start rule may push a character or two to the next row) and
    the next row of the same text box sits directly below it (a gap smaller than a
    line's height). Double-spaced text puts every row in a box of its own (nine rows
    in ten on the page); there the next row is joined when it is less than 1.6 line heights below and starts no further
    right than the row before (an indented row starts a paragraph or an item). Rows are joined with nothing between them: Japanese has no spaces,
    writers break ASCII words anywhere (``W`` / ``eb``), and a space the writer kept at
    the end of a row stays where it was. Yields ``(top y, (text, line number))``.
    """
    if not lines:
        return
    # pdfminer groups rows into a box only when they are close; a page of double-spaced
    # text (一太郎's 行間 of 2) has a box for nearly every row, and its wrapped rows are
    # found by position alone
    rows_in_box = Counter(line.box for line in lines)
    double_spaced = sum(1 for line in lines if rows_in_box[line.box] == 1) >= 0.9 * len(lines)
    current: list[_Line] = []

    def flush():
        if current:
            yield current[0].y1, ("".join(line.text for line in current), current[0].number)

    for line in lines:
        if current:
            prev = current[-1]
            height = prev.height
            gap = prev.y0 - line.y1
            wrapped = prev.x1 >= right_edge(prev) - 2.2 * height and 0 <= gap and (
                line.box == prev.box and gap < height
                # double-spaced text (a box for every row): the next row starts at the
                # column's left edge, not indented like a new paragraph or an item
                or double_spaced and gap < 1.6 * height
                and line.x0 <= prev.x0 + 0.5 * height)
            if wrapped and not _new_item(prev.text, line.text):
                current.append(line)
                continue
            yield from flush()
            if line.box != prev.box:
                yield prev.y0, ("", prev.number)
        current = [line]
    yield from flush()
    yield current[-1].y0, ("", current[-1].number)

