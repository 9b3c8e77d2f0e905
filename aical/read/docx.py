"""Word (.docx) → :class:`~aical.document.Document`, through python-docx (imported only here).

The body is read in order, paragraphs and tables as Word holds them:

- **Headings**: a paragraph whose style is a heading (``heading 1`` … ``heading 9``, also
  a Japanese Word's 見出し) or carries an outline level (in the paragraph or inherited
  through its style's ``basedOn`` chain) → :class:`Heading` of that level, the author's
  numbering split off. Word's ``Title`` style has no outline level: it is the document's
  title and reads as a paragraph.
- **Lists**: a paragraph with numbering (``numPr``, in the paragraph or its style) →
  :class:`ListItem`, ``depth`` its level (``ilvl``); the marker is the number Word shows
  where the numbering is a plain counter (``%1.`` over decimal, 丸数字, iroha …), ``・`` for
  bullets.
- **Tables** → :class:`Table`: ``gridSpan`` and ``vMerge`` resolved (a merged cell's text
  repeated over its span), paragraphs inside a cell joined by ``"\\n"``; rows marked as
  header rows (``tblHeader``) are the header.
- Everything else → :class:`Paragraph`. Deleted tracked changes and field codes are not
  text; tabs and line breaks are kept.

A location's ``line`` is the paragraph's number in the body (tables count as one), since
Word has no lines. The ZIP was checked for bombs before this reader runs
(:mod:`aical.read.office`); a table may resolve to at most :data:`MAX_CELLS` cells.
"""

from __future__ import annotations

import io
import re

from aical.document import Cell, Document, Heading, ListItem, Location, Paragraph, Table
from aical.errors import InputError
from aical.messages import msg
from aical.read.markers import split_marker

MAX_CELLS = 200_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"(?:heading|見出し)\s*([1-9])", re.IGNORECASE)
_CIRCLED = [chr(c) for c in range(0x2460, 0x2474)]
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


def docx_document(data: bytes, name: str) -> Document:
    """A .docx file's bytes as a document; every failure is an :class:`InputError`."""
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError(name, msg("docx.no_docx"),
                         hint=msg("read.hint_install", package="python-docx")) from None
    try:
        word = docx.Document(io.BytesIO(data))
        body = word.element.body
        styles = _Styles(word.styles.element)
        numbering = _Numbering(word.part.numbering_part.element
                               if _has_numbering(word) else None)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - python-docx/lxml raise many kinds on damage
        raise InputError(name, msg("docx.damaged", kind=type(error).__name__,
                                   detail=str(error)[:80]),
                         hint=msg("read.hint_resave_office")) from None
    blocks: list = []
    title = None
    cells = 0
    for number, element in enumerate(body.iterchildren(), 1):
        at = Location(name, line=number)
        if element.tag == _W + "tbl":
            table, count = _table(element, name, number)
            cells += count
            if cells > MAX_CELLS:
                raise InputError(name, msg("html.too_many_cells", limit=MAX_CELLS),
                                 hint=msg("read.hint_smaller"))
            if table is not None:
                blocks.append(table)
            continue
        if element.tag != _W + "p":
            continue
        text = _text(element).strip(" ")
        if not text.strip():
            continue
        style_id = _val(element.find(f"{_W}pPr/{_W}pStyle"))
        style = styles.resolve(style_id)
        level = _outline_level(element) or style.level
        if style.title and level is None:
            title = title or text.strip()
            blocks.append(Paragraph(text, at))
            continue
        if level is not None:
            marker, rest = split_marker(text.replace("\n", " "))
            blocks.append(Heading(level, marker, rest, at))
            continue
        num = _num_pr(element) or style.num
        if num is not None and num[0] != "0":
            blocks.append(ListItem(num[1], numbering.marker(*num), text, at))
            continue
        blocks.append(Paragraph(text, at))
    return Document(name, "docx", tuple(blocks), encoding="docx", title=title)


def _has_numbering(word) -> bool:
    try:
        return word.part.numbering_part is not None
    except (KeyError, NotImplementedError, AttributeError):
        return False


def _val(element) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _text(p) -> str:
    """A paragraph's text: its runs' text, tabs and breaks, without deleted text or field
    codes (``w:delText``, ``w:instrText`` are other tags)."""
    out = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        tag = node.tag[len(_W):]
        if tag == "t":
            out.append(node.text or "")
        elif tag == "tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _outline_level(p) -> int | None:
    level = _val(p.find(f"{_W}pPr/{_W}outlineLvl"))
    return int(level) + 1 if level is not None and level.isdigit() and int(level) < 9 else None


def _num_pr(p) -> tuple[str, int] | None:
    pr = p.find(f"{_W}pPr/{_W}numPr")
    if pr is None:
        return None
    num = _val(pr.find(f"{_W}numId"))
    ilvl = _val(pr.find(f"{_W}ilvl"))
    if num is None:
        return None
    return num, min(int(ilvl), 8) if ilvl and ilvl.isdigit() else 0


class _Style:
    __slots__ = ("level", "num", "title")

    def __init__(self, level=None, num=None, title=False):
        self.level, self.num, self.title = level, num, title


class _Styles:
    """Paragraph styles by id, with heading level, numbering and Title resolved through
    ``basedOn`` (at most 20 steps: a loop in a damaged file ends there)."""

    def __init__(self, root) -> None:
        self.raw = {}
        for style in root.iter(f"{_W}style"):
            sid = style.get(f"{_W}styleId")
            if sid is not None:
                self.raw[sid] = style
        self.cache: dict[str | None, _Style] = {}

    def resolve(self, sid: str | None) -> _Style:
        if sid in self.cache:
            return self.cache[sid]
        level = num = None
        title = False
        current, steps = sid, 0
        while current is not None and current in self.raw and steps < 20:
            style = self.raw[current]
            name = _val(style.find(f"{_W}name")) or ""
            if level is None:
                m = _HEADING_NAME.fullmatch(name.strip())
                if m:
                    level = int(m[1])
                else:
                    outline = _val(style.find(f"{_W}pPr/{_W}outlineLvl"))
                    if outline is not None and outline.isdigit() and int(outline) < 9:
                        level = int(outline) + 1
            if name.strip().lower() == "title" or name.strip() == "表題":
                title = True
            if num is None:
                pr = style.find(f"{_W}pPr/{_W}numPr")
                if pr is not None and _val(pr.find(f"{_W}numId")) is not None:
                    ilvl = _val(pr.find(f"{_W}ilvl"))
                    num = (_val(pr.find(f"{_W}numId")),
                           int(ilvl) if ilvl and ilvl.isdigit() else 0)
            current = _val(style.find(f"{_W}basedOn"))
            steps += 1
        made = _Style(level, num, title)
        self.cache[sid] = made
        return made


class _Numbering:
    """List markers as Word would show them, for the plain counters; ``・`` for bullets."""

    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, str] = {}
        self.counters: dict[tuple[str, int], int] = {}
        if root is None:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = lvl.get(f"{_W}ilvl", "0")
                start = _val(lvl.find(f"{_W}start"))
                levels[int(ilvl) if ilvl.isdigit() else 0] = (
                    _val(lvl.find(f"{_W}numFmt")) or "decimal",
                    _val(lvl.find(f"{_W}lvlText")) or "",
                    int(start) if start and start.isdigit() else 1)
            self.abstract[abstract.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            self.nums[num.get(f"{_W}numId")] = _val(num.find(f"{_W}abstractNumId"))

    def marker(self, num_id: str, ilvl: int) -> str:
        levels = self.abstract.get(self.nums.get(num_id), {})
        fmt, text, start = levels.get(ilvl, ("bullet", "", 1))
        if fmt in ("bullet", "none"):
            return "・" if fmt == "bullet" else ""
        key = (num_id, ilvl)
        count = self.counters.get(key, start - 1) + 1
        self.counters[key] = count
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]  # a new item restarts the levels below it
        shown = _format_number(count, fmt)
        if shown is None:
            return ""
        return re.sub(r"%\d", shown, text, count=1).replace("%", "") if "%" in text else shown


def _format_number(n: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt in ("iroha", "irohaFullWidth") and 1 <= n <= len(_IROHA):
        return _IROHA[n - 1]
    if fmt in ("aiueo", "aiueoFullWidth") and 1 <= n <= len(_AIUEO):
        return _AIUEO[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return None


def _table(tbl, name: str, number: int) -> tuple[Table | None, int]:
    """A w:tbl with gridSpan / vMerge resolved; (None, 0) for an empty one."""
    at = Location(name, line=number)
    grid: list[list[Cell]] = []
    header_rows = 0
    header_open = True
    count = 0
    for tr in tbl.iterchildren(f"{_W}tr"):
        row: list[Cell] = []
        before = _val(tr.find(f"{_W}trPr/{_W}gridBefore"))
        for _ in range(min(int(before), 1000) if before and before.isdigit() else 0):
            row.append(Cell("", at))
        for tc in tr.iterchildren(f"{_W}tc"):
            span = _val(tc.find(f"{_W}tcPr/{_W}gridSpan"))
            span = min(max(int(span), 1), 1000) if span and span.isdigit() else 1
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            column = len(row)
            if merge is not None and _val(merge) != "restart" and grid and \
                    column < len(grid[-1]):
                made = grid[-1][column]  # continues the cell above
            else:
                text = "\n".join(t for t in (_text(p).strip(" ") for p in
                                             tc.iter(f"{_W}p")) if t.strip())
                made = Cell(text, at)
            row.extend([made] * span)
            count += span
        if header_open and tr.find(f"{_W}trPr/{_W}tblHeader") is not None:
            header_rows += 1
        else:
            header_open = False
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    if not width:
        return None, count
    rows = tuple(tuple(r + [Cell("", at)] * (width - len(r))) for r in grid)
    header_rows = min(header_rows, max(len(rows) - 1, 0))
    return Table(rows[:header_rows], rows[header_rows:], at), count


__all__ = ["MAX_CELLS", "docx_document"]
