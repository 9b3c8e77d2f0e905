"""HTML → :class:`~aical.document.Document`, through lxml (imported only here).

Reads saved pages and pages as served, whole pages or fragments:

- **Charset**: a byte-order mark wins; then a ``<meta charset>`` / ``<meta http-equiv
  content="…; charset=…">`` / XML declaration in the first 4 KB, if the bytes really
  decode in it and read as Japanese at least as well as what the bytes say by
  themselves (pages re-saved by an editor keep a stale ``Shift_JIS`` meta over UTF-8
  bytes); otherwise the same detection as text files (:mod:`aical.read`).
- **Blocks**: ``h1``–``h6`` → :class:`Heading` (numbering split off by
  :func:`~aical.read.markers.split_marker`); ``ul``/``ol`` → :class:`ListItem` with the
  nesting as ``depth`` (``ol`` items get their number as marker); ``table`` →
  :class:`Table` (``th``/``td``, ``rowspan``/``colspan`` resolved, ``caption``, header
  rows from ``thead`` or all-``th`` rows; ``<br>`` inside a cell is ``"\\n"``); a table
  that holds another table is page layout, and its cells are read as blocks;
  ``dl``/``dt``/``dd`` → :class:`Fields`; everything else → :class:`Paragraph`, one per
  ``<br>``-separated line (minutes systems write whole pages as one ``<br>``-broken run).
- **Left out**: ``head``, ``script``, ``style``, ``nav``, ``aside``, forms' controls,
  ``hidden`` elements, the page's ``header``/``footer`` (not an article's own), ARIA
  navigation/banner/contentinfo landmarks and breadcrumb trails.
- **Limits**: lxml's parser nests at most 2,047 elements deep; a page that reaches it is
  refused (its deeper text would be silently lost). A table may resolve to at most
  :data:`MAX_CELLS` cells (``colspan`` ≤ 1,000 and ``rowspan`` up to the table's end, as
  browsers clamp them).

Every block's :class:`Location` is the source line of its element (``page.html:42``).
"""

from __future__ import annotations

import codecs
import re

from aical.document import Cell, Document, Field, Fields, Heading, ListItem, Location, \
    Paragraph, Table
from aical.errors import InputError
from aical.messages import msg
from aical.read.markers import split_marker

#: Cells one table may resolve to (after spans): a 1,000 × 100 schedule is far beyond any
#: real one; a ``rowspan`` bomb is refused here instead of filling memory.
MAX_CELLS = 200_000
#: libxml2's depth cap with ``huge_tree`` (elements nested deeper are dropped).
_PARSER_DEPTH_CAP = 2047
_MAX_COLSPAN = 1000
#: Element depth the walker follows by recursion; below it a subtree is read as text.
_MAX_WALK_DEPTH = 200

_SKIP = frozenset({"head", "script", "style", "noscript", "template", "nav", "aside",
                   "iframe", "object", "embed", "svg", "math", "select", "option",
                   "button", "input", "textarea", "map", "title", "meta", "link"})
_SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
# class / id tokens of breadcrumb trails ("現在のページ: ホーム > …"), which repeat the
# page's title as navigation on most municipal sites.
_CRUMB = re.compile(r"(?:^|[\s_-])(?:breadcrumbs?|pankuzu|topicpath|topic-path|crumbs?)"
                    r"(?:$|[\s_-])", re.IGNORECASE)
_BLOCK = frozenset({"address", "article", "blockquote", "body", "center", "dd", "details",
                    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                    "hgroup", "hr", "li", "main", "menu", "ol", "p", "pre", "section",
                    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
                    "caption", "html", "legend", "output"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# collapsible white space of HTML: ASCII blanks only; the ideographic space is content
_SPACE = re.compile(r"[ \t\n\r\f]+")

_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels browsers read as another codec (WHATWG Encoding): Shift_JIS is windows-31j.
_CODEC_OF_LABEL = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
                   "x-sjis": "cp932", "ms_kanji": "cp932", "windows-31j": "cp932",
                   "csshiftjis": "cp932", "ms932": "cp932", "x-euc-jp": "euc-jp",
                   "euc-jp": "euc-jp", "iso-2022-jp": "iso-2022-jp", "utf8": "utf-8",
                   "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8"}


def looks_like_html(data: bytes) -> bool:
    """True when the bytes open as an HTML page: a doctype, ``<html>``, ``<head>`` or
    ``<body>`` before any text (a BOM, white space, comments and an XML declaration may
    come first). Fragments are recognised by their file name instead."""
    head = data[:4096]
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom):]
            if bom is not codecs.BOM_UTF8:
                head = head.replace(b"\x00", b"")
            break
    head = head.lstrip().lower()
    while head.startswith((b"<!--", b"<?xml")):
        end = head.find(b"-->" if head.startswith(b"<!--") else b"?>")
        if end < 0:
            return False
        head = head[end + 3 if head.startswith(b"<!--") else end + 2:].lstrip()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """(codec, text) of an HTML file's bytes; see the module docstring for the order."""
    from aical.read import _japanese_score, decode_text

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, name)
    declared = None
    m = _CHARSET.search(data[:4096])
    if m:
        label = (m[1] or m[2]).decode("ascii").lower()
        declared = _CODEC_OF_LABEL.get(label)
        if declared is None:
            try:
                declared = codecs.lookup(label).name
            except LookupError:
                declared = None
    try:
        detected = decode_text(data, name)
    except InputError:
        detected = None
    if declared and (detected is None or declared != detected[0]):
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if detected is None or _japanese_score(text) >= _japanese_score(detected[1]):
                return declared, text.replace("\r\n", "\n").replace("\r", "\n")
    if detected is None:
        return decode_text(data, name)  # raises the detection's own message
    return detected


def html_document(data: bytes, name: str) -> Document:
    """An HTML file's bytes as a document; every failure is an :class:`InputError`."""
    codec, text = decode_html(data, name)
    try:
        import lxml.etree as etree
        import lxml.html
    except ImportError:  # pragma: no cover - lxml is a dependency
        raise InputError(name, msg("html.no_lxml"),
                         hint=msg("read.hint_install", package="lxml")) from None
    # lxml refuses str input that carries an XML encoding declaration; it is decoded now.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    if not text.strip():
        raise InputError(name, msg("read.empty"), hint=msg("read.hint_right_file"))
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  huge_tree=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise InputError(name, msg("html.unreadable", detail=str(error)),
                         hint=msg("read.hint_resave_page")) from None
    _check_depth(root, name)
    title = None
    for element in root.iter("title"):
        title = _collapse(element.text_content()) or None
        break
    walker = _Walker(name)
    walker.walk(root)
    return Document(name, "html", tuple(walker.blocks), encoding=codec, title=title)


def _check_depth(root, name: str) -> None:
    """Refuse a page nested to the parser's cap: text below it was dropped unseen."""
    import lxml.etree as etree

    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= _PARSER_DEPTH_CAP - 2:
            raise InputError(name, msg("html.too_deep", limit=_PARSER_DEPTH_CAP - 2),
                             hint=msg("read.hint_resave_page"))


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip(" ")


def _tag(element) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


def _skipped(element, tag: str) -> bool:
    if tag in _SKIP:
        return True
    get = element.get
    if get("hidden") is not None or get("aria-hidden", "").lower() == "true":
        return True
    if get("role", "").lower() in _SKIP_ROLES:
        return True
    if tag in ("header", "footer"):
        # the page's banner and footer, not an article's or section's own header
        return not any(_tag(a) in ("article", "section", "main")
                       for a in element.iterancestors())
    marks = f"{get('class', '')} {get('id', '')}"
    return bool(marks.strip()) and _CRUMB.search(marks) is not None


def _line(element) -> int | None:
    return getattr(element, "sourceline", None)


def _text_of(element, *, br: str = "\n") -> str:
    """The visible text of ``element``: block boundaries and ``<br>`` become ``br``,
    white space collapsed as a browser does, empty lines dropped. Iterative, so a deep
    subtree costs no recursion."""
    import lxml.etree as etree

    pieces: list[str] = []
    walk = etree.iterwalk(element, events=("start", "end"))
    for event, el in walk:
        tag = _tag(el)
        if event == "start":
            if tag is None:
                continue
            if el is not element and _skipped(el, tag):
                walk.skip_subtree()
                # skip_subtree gives no "end" event: the tail is still the parent's text
                if el.tail:
                    pieces.append(_SPACE.sub(" ", el.tail.replace("\xa0", " ")))
                continue
            if tag == "br" or tag in _BLOCK:
                pieces.append("\n")
            if el.text:
                pieces.append(_SPACE.sub(" ", el.text.replace("\xa0", " ")))
        else:
            if tag in _BLOCK:
                pieces.append("\n")
            if el is not element and el.tail:
                pieces.append(_SPACE.sub(" ", el.tail.replace("\xa0", " ")))
    # only collapsible spaces are trimmed: an ideographic space is the author's indent
    lines = (re.sub(" {2,}", " ", line).strip(" ") for line in "".join(pieces).split("\n"))
    return br.join(line for line in lines if line.strip())


class _Walker:
    """Turns a parsed page into blocks in reading order.

    Inline text gathers into a buffer of (text, source line) pieces; a block element's
    start or end flushes it as the block its nearest container makes: a heading, a list
    item, or paragraphs. Recursion follows element nesting, which the depth check bounds.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list = []
        self.buffer: list[tuple[str, int | None]] = []
        # (kind, detail) of the open containers that decide what a flush makes
        self.context: list[tuple[str, object]] = []
        self.cells = 0

    def at(self, line: int | None) -> Location:
        return Location(self.name, line=line)

    # -- the buffer

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            self.buffer.append((_SPACE.sub(" ", text.replace("\xa0", " ")), line))

    def flush(self) -> None:
        if not self.buffer:
            return
        pieces, self.buffer = self.buffer, []
        # split into <br> lines, each with the source line of its first piece
        lines: list[tuple[str, int | None]] = []
        current, first = [], None
        for text, line in pieces:
            for i, part in enumerate(text.split("\n")):
                if i:
                    lines.append(("".join(current), first))
                    current, first = [], None
                if part and first is None and part.strip():
                    first = line
                current.append(part)
        lines.append(("".join(current), first))
        lines = [(re.sub(" {2,}", " ", t).strip(" "), ln) for t, ln in lines]
        lines = [(t, ln) for t, ln in lines if t.strip()]
        if not lines:
            return
        kind, detail = self.context[-1] if self.context else ("flow", None)
        line0 = lines[0][1]
        if kind == "heading":
            marker, text = split_marker(" ".join(t for t, _ in lines))
            self.blocks.append(Heading(detail, marker, text, self.at(line0)))
        elif kind == "item":
            depth, marker = detail
            self.blocks.append(ListItem(depth, marker, "\n".join(t for t, _ in lines),
                                        self.at(line0)))
            # the rest of a list item (after a nested list) is a continuation, unmarked
            self.context[-1] = ("item", (depth, ""))
        else:
            self.blocks.extend(Paragraph(t, self.at(ln)) for t, ln in lines)

    # -- the walk

    def boundary(self) -> None:
        """A block element starts or ends: inside a list item or heading it is a line
        break of that block; elsewhere it ends the paragraph."""
        if self.context and self.context[-1][0] in ("item", "heading"):
            self.buffer.append(("\n", None))
        else:
            self.flush()

    def walk(self, element, depth: int = 0) -> None:
        tag = _tag(element)
        if tag is None:
            return
        if tag != "html" and _skipped(element, tag):
            return
        if depth > _MAX_WALK_DEPTH:
            # Deeper than any real page: read the rest as text, without recursion.
            self.buffer.append(("\n", None))
            self.buffer.append((_text_of(element), _line(element)))
            self.buffer.append(("\n", None))
            return
        if tag == "br":
            self.buffer.append(("\n", _line(element)))
            return
        if tag in _HEADINGS:
            self.flush()
            self.context.append(("heading", _HEADINGS[tag]))
            self.children(element, depth)
            self.flush()
            self.context.pop()
        elif tag in _LISTS:
            self.flush()
            self.list(element, tag, depth)
        elif tag == "dl":
            self.flush()
            self.fields(element)
        elif tag == "table":
            self.flush()
            if any(True for _ in element.iterdescendants("table")):
                self.children(element, depth)  # layout: its cells are read as blocks
                self.flush()
            else:
                self.table(element)
        elif tag == "pre":
            self.flush()
            text = element.text_content()
            self.blocks.extend(Paragraph(line.rstrip(), self.at(_line(element)))
                               for line in text.split("\n") if line.strip())
        elif tag in _BLOCK:
            self.boundary()
            self.children(element, depth)
            self.boundary()
        else:
            self.children(element, depth)

    def children(self, element, depth: int = 0) -> None:
        self.add(element.text, _line(element))
        for child in element:
            self.walk(child, depth + 1)
            self.add(child.tail, _line(child))

    def list(self, element, tag: str, level: int) -> None:
        depth = sum(1 for kind, _ in self.context if kind in ("list",))
        self.context.append(("list", depth))
        number = _int(element.get("start"), 1)
        style = element.get("type", "1")
        self.add(element.text, _line(element))
        for child in element:
            if _tag(child) == "li":
                if _skipped(child, "li"):
                    continue
                number = _int(child.get("value"), number)
                marker = _ol_marker(number, style) if tag == "ol" else ""
                number += 1
                self.flush()
                self.context.append(("item", (depth, marker)))
                self.children(child, level + 1)
                self.flush()
                self.context.pop()
            else:
                self.walk(child, level + 1)
            self.add(child.tail, _line(child))
        self.flush()
        self.context.pop()

    def fields(self, element) -> None:
        pairs: list[Field] = []
        label: tuple[str, int | None] | None = None
        values: list[str] = []

        def close() -> None:
            value = "\n".join(v for v in values if v)
            if label is not None and (label[0] or value):
                pairs.append(Field(label[0], value, self.at(label[1])))

        items = []
        for child in element:
            tag = _tag(child)
            if tag == "div":  # HTML5 allows dl > div > (dt, dd)
                items.extend(c for c in child if _tag(c) in ("dt", "dd"))
            elif tag in ("dt", "dd"):
                items.append(child)
        for child in items:
            if _skipped(child, _tag(child)):
                continue
            text = _text_of(child)
            if _tag(child) == "dt":
                close()
                label, values = (text, _line(child)), []
            elif label is None:
                label, values = ("", _line(child)), [text]
            else:
                values.append(text)
        close()
        if pairs:
            self.blocks.append(Fields(tuple(pairs), self.at(_line(element))))

    def table(self, element) -> None:
        rows = []  # (tr, in thead)
        for tr in element.iter("tr"):
            section = tr.getparent()
            rows.append((tr, _tag(section) == "thead"))
        caption = None
        for child in element:
            if _tag(child) == "caption":
                caption = _text_of(child, br=" ") or None
        grid: dict[tuple[int, int], Cell] = {}
        th_rows: list[bool] = []
        width = 0
        for r, (tr, _head) in enumerate(rows):
            c = 0
            all_th = True
            has_cell = False
            for cell in tr:
                tag = _tag(cell)
                if tag not in ("td", "th"):
                    continue
                has_cell = True
                all_th = all_th and tag == "th"
                while (r, c) in grid:
                    c += 1
                colspan = min(max(_int(cell.get("colspan"), 1), 1), _MAX_COLSPAN)
                rowspan = _int(cell.get("rowspan"), 1)
                rowspan = len(rows) - r if rowspan <= 0 else min(rowspan, len(rows) - r)
                self.cells += colspan * rowspan
                if self.cells > MAX_CELLS:
                    raise InputError(self.name, msg("html.too_many_cells", limit=MAX_CELLS),
                                     line=_line(cell), hint=msg("html.hint_smaller_table"))
                made = Cell(_text_of(cell), self.at(_line(cell)))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        grid.setdefault((r + dr, c + dc), made)
                c += colspan
                width = max(width, c)
            th_rows.append(has_cell and all_th)
        if not rows or width == 0:
            return
        table_rows = []
        for r, (tr, _head) in enumerate(rows):
            line = self.at(_line(tr))
            table_rows.append(tuple(grid.get((r, c)) or Cell("", line) for c in range(width)))
        # header rows: those in <thead>, else the leading rows made only of <th>
        n_head = sum(1 for _, head in rows if head)
        if n_head and not all(head for _, head in rows[:n_head]):
            n_head = 0
        if not n_head:
            while n_head < len(rows) - 1 and th_rows[n_head]:
                n_head += 1
        # an empty row (a spacer) is no content
        body = [row for row in table_rows[n_head:] if any(c.text for c in row)]
        self.blocks.append(Table(tuple(table_rows[:n_head]), tuple(body),
                                 self.at(_line(element)), caption))


def _int(text: str | None, default: int) -> int:
    if text is None:
        return default
    m = re.match(r"\s*(-?\d{1,9})", text)
    return int(m[1]) if m else default


def _ol_marker(number: int, style: str) -> str:
    """The number a browser shows for an ``<ol>`` item: ``3.``, ``c.``, ``iii.``."""
    if style in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return f"{letter.upper() if style == 'A' else letter}."
    if style in ("i", "I") and 1 <= number <= 3999:
        roman = _roman(number)
        return f"{roman.upper() if style == 'I' else roman}."
    return f"{number}."


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while number >= value:
            out += letters
            number -= value
    return out


__all__ = ["MAX_CELLS", "decode_html", "html_document", "looks_like_html"]
