"""Markdown → blocks, line by line (no dependency).

What is read, as the CommonMark / GitHub / kramdown dialects of site generators write it:

- ATX headings (``## 1 総会``) and setext headings (a line underlined with ``===`` or
  ``---``) → :class:`Heading`, its numbering split off;
- list items ``-``, ``*``, ``+``, ``1.``, ``1)`` → :class:`ListItem`, nesting by
  indentation as ``depth``;
- pipe tables (``| 日時 | 場所 |``), with or without the ``|---|`` delimiter row that
  makes the first row a header (kramdown writes header-less tables) → :class:`Table`;
  ``<br>`` in a cell is ``"\\n"``;
- TAB-separated rows → :class:`Table`, as in plain text;
- everything else → one :class:`Paragraph` per line; a YAML front matter is skipped (its
  ``title:`` becomes the document's title), and so are kramdown attribute lines
  (``{:.class}``), fences' markers and horizontal rules.

Inline markup is removed from the text: links and images keep their text, emphasis and
code marks go, ``<br>`` ends a line, and backslash escapes are resolved. Every block
keeps the line it was written on; consumed lines (a setext underline, a table's
delimiter row) leave an empty paragraph, so block order and line numbers agree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aical.document import Cell, Document, Heading, ListItem, Location, Paragraph, Table
from aical.read.markers import split_marker
from aical.read.text import header_count, tab_cells, tab_table

if TYPE_CHECKING:
    from aical.document import Block
    from aical.read import Text

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*")
_ATTRIBUTES = re.compile(r"[ \t]*\{:[^}]*\}[ \t]*")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)")
_CODE = re.compile(r"`([^`]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def is_markdown(text: str) -> bool:
    """True for a text that uses Markdown's own marks: two ATX headings, or one with a
    pipe table's delimiter row. Japanese plain text never starts lines with ``#``."""
    headings = 0
    delimiter = False
    for line in text.split("\n", 2000)[:2000]:
        m = _ATX.fullmatch(line)
        if m and m[2]:
            headings += 1
        elif "|" in line and "-" in line and _DELIMITER.fullmatch(line):
            delimiter = True
        if headings >= 2 or (headings and delimiter):
            return True
    return False


def inline(text: str) -> str:
    """Text without Markdown's inline marks (links keep their text; ``<br>`` is a break)."""
    text = _BR.sub("\n", text)
    text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    return "\n".join(part.strip() for part in text.split("\n")).strip("\n")


def markdown_document(text: Text) -> Document:
    """A decoded Markdown text as a document."""
    blocks, title = markdown_blocks(text)
    return Document(text.name, "markdown", blocks, encoding=text.encoding, title=title)


def markdown_blocks(text: Text) -> tuple[tuple[Block, ...], str | None]:
    """The blocks of a Markdown text, and the front matter's title if there is one."""
    lines = text.lines
    name = text.name
    blocks: list[Block] = []
    title = None

    def at(i: int) -> Location:
        return Location(name, line=i + 1)

    def blank(i: int) -> None:
        blocks.append(Paragraph("", at(i)))

    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, min(len(lines), 500)) if lines[j].strip() in ("---", "...")),
                   None)
        if end is not None:
            for j in range(1, end):
                m = re.match(r"title:\s*(.+?)\s*$", lines[j])
                if m and title is None:
                    title = m[1].strip("\"'") or None
            for j in range(end + 1):
                blank(j)
            i = end + 1
    indents: list[int] = []  # open list levels by indentation
    fence = None
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                blank(i)
            else:
                blocks.append(Paragraph(line, at(i)))
            i += 1
            continue
        m = _FENCE.match(line)
        if m:
            fence = m[1][:3]
            blank(i)
            i += 1
            continue
        if not line.strip():
            indents = []
            blank(i)
            i += 1
            continue
        m = _ATX.fullmatch(line)
        if m and (m[2] or "").strip():
            marker, rest = split_marker(inline(m[2]).replace("\n", " "))
            blocks.append(Heading(len(m[1]), marker, rest, at(i)))
            indents = []
            i += 1
            continue
        table = _pipe_table(lines, i, name)
        if table is not None:
            blocks.append(table[0])
            if table[2]:
                blank(i + 1)  # the delimiter row: a line the table consumed, not a row
            i += table[1]
            continue
        run = []
        while i + len(run) < len(lines) and (cells := tab_cells(lines[i + len(run)])):
            if run and len(cells) != len(run[0]):
                break
            run.append(cells)
        if len(run) >= 2:
            blocks.append(tab_table(run, name, first_line=i + 1))
            i += len(run)
            continue
        if (i + 1 < len(lines) and _SETEXT.fullmatch(lines[i + 1]) and not _ITEM.fullmatch(line)
                and not _ATTRIBUTES.fullmatch(line)):
            level = 1 if lines[i + 1].strip().startswith("=") else 2
            marker, rest = split_marker(inline(line).replace("\n", " "))
            blocks.append(Heading(level, marker, rest, at(i)))
            blank(i + 1)
            i += 2
            continue
        if _RULE.fullmatch(line) or _ATTRIBUTES.fullmatch(line):
            blank(i)
            i += 1
            continue
        m = _ITEM.fullmatch(line)
        if m and (m[3] or "").strip():
            indent = len(m[1].expandtabs(4))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            blocks.append(ListItem(len(indents) - 1, m[2], inline(m[3]), at(i)))
            i += 1
            continue
        content = line.lstrip()
        while content.startswith(">"):
            content = content[1:].lstrip()
        blocks.append(Paragraph(inline(content), at(i)))
        i += 1
    return tuple(blocks), title


def _pipe_table(lines: tuple[str, ...], start: int, name: str) -> tuple[Table, int, int] | None:
    """(table, lines consumed, of which not rows) for a pipe table starting at ``start``.

    Rows must open with ``|`` unless a delimiter row follows the first one (GitHub's
    tables may leave the outer pipes out)."""
    first = lines[start]
    has_delimiter = (start + 1 < len(lines) and "|" in first and "-" in lines[start + 1]
                     and _DELIMITER.fullmatch(lines[start + 1]) is not None)
    if not first.lstrip().startswith("|") and not has_delimiter:
        return None
    rows: list[tuple[int, list[str]]] = [(start, _pipe_cells(first))]
    j = start + (2 if has_delimiter else 1)
    while j < len(lines) and "|" in lines[j] and lines[j].strip() and (
            lines[j].lstrip().startswith("|") or has_delimiter):
        if _ATTRIBUTES.fullmatch(lines[j]):
            break
        rows.append((j, _pipe_cells(lines[j])))
        j += 1
    if not has_delimiter and len(rows) < 1:
        return None
    if not has_delimiter and not any(len(cells) >= 2 for _, cells in rows):
        return None
    width = max(len(cells) for _, cells in rows)
    made = tuple(tuple(Cell(cells[c] if c < len(cells) else "", Location(name, line=n + 1))
                       for c in range(width)) for n, cells in rows)
    head = 1 if has_delimiter else header_count([cells for _, cells in rows])
    table = Table(made[:head], made[head:], Location(name, line=start + 1))
    return table, j - start, 1 if has_delimiter else 0


def _pipe_cells(line: str) -> list[str]:
    """A pipe row's cells; ``\\|`` is a pipe inside a cell."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [inline(cell.replace("\\|", "|")) for cell in cells]


__all__ = ["inline", "is_markdown", "markdown_blocks", "markdown_document"]
