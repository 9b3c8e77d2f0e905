"""Plain text → blocks: one :class:`Paragraph` per written line, and runs of
TAB-separated rows as a :class:`Table`.

Plain text carries no structure of its own beyond lines; headings such as ``1 総会`` and
bullets such as ``・第1回…`` are read by the extractor, which knows the outline. What a
text file does mark unambiguously is a table saved from a spreadsheet (TSV, or a copy
and paste out of Excel): two or more consecutive lines with the same number of TAB
separated cells, at least two of them filled. Its first row is the header when it holds
only words and a later row holds a number (the usual 日付 / 会議名 / 場所 header).

Blank lines stay as empty paragraphs, so block *n* of a file without tables is line *n*,
as an editor counts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aical.document import Cell, Location, Paragraph, Table

if TYPE_CHECKING:
    from aical.document import Block
    from aical.read import Text

_DIGIT = re.compile(r"[0-9０-９〇一二三四五六七八九十]")


def tab_cells(line: str) -> list[str] | None:
    """The cells of a TAB-separated row, or None for a line that is not one."""
    if "\t" not in line:
        return None
    cells = [cell.strip() for cell in line.split("\t")]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def header_count(rows: list[list[str]]) -> int:
    """1 when the first row reads as a header (words only, over rows with numbers)."""
    if len(rows) < 2:
        return 0
    first = rows[0]
    if not all(first) or any(_DIGIT.search(cell) for cell in first):
        return 0
    return 1 if any(_DIGIT.search(cell) for row in rows[1:] for cell in row) else 0


def text_blocks(text: Text) -> tuple[Block, ...]:
    """The blocks of a plain text: lines, with TAB-separated runs as tables."""
    lines = text.lines
    name = text.name
    if "\t" not in text.text:  # no table can start anywhere: one paragraph a line
        return tuple(Paragraph(line, Location(name, line=n))
                     for n, line in enumerate(lines, 1))
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        run = _tab_run(lines, i)
        if run:
            blocks.append(tab_table(run, text.name, first_line=i + 1))
            i += len(run)
            continue
        blocks.append(Paragraph(lines[i], Location(text.name, line=i + 1)))
        i += 1
    return tuple(blocks)


def _tab_run(lines: tuple[str, ...], start: int) -> list[list[str]]:
    """Consecutive TAB rows from ``start`` with one cell count; [] under two rows."""
    run: list[list[str]] = []
    width = None
    # by index, never a slice: slicing the rest of the document for every line made
    # reading quadratic (a 4.5 MB text took 15 s)
    for at in range(start, len(lines)):
        cells = tab_cells(lines[at])
        if cells is None or (width is not None and len(cells) != width):
            break
        width = len(cells)
        run.append(cells)
    return run if len(run) >= 2 else []


def tab_table(rows: list[list[str]], name: str, *, first_line: int) -> Table:
    """A table of TAB rows read from ``first_line`` on; cells located by line."""
    made = tuple(tuple(Cell(cell, Location(name, line=first_line + r)) for cell in row)
                 for r, row in enumerate(rows))
    head = header_count(rows)
    return Table(made[:head], made[head:], Location(name, line=first_line))


__all__ = ["header_count", "tab_cells", "tab_table", "text_blocks"]
