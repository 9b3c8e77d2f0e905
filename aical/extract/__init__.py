"""Document → events and warnings: the heading outline, the recognisers and the one event
builder. Pure functions; no file I/O, no iCalendar, no HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aical.extract.report import extract_report

if TYPE_CHECKING:
    from aical.dates.era import FiscalYear
    from aical.document import Document
    from aical.model import Report

__all__ = ["extract_document", "extract_report"]


def extract_document(document: Document, *, fiscal_year: FiscalYear | None = None) -> Report:
    """Bodies, events and warnings of one document, whatever format it was read from.

    Every block is one door into the same line pipeline for now: paragraphs as written,
    headings and list items with their marker. ``fiscal_year`` overrides the document's.
    """
    from aical.document import Fields, Heading, ListItem, Paragraph, Table

    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        elif isinstance(block, Heading):
            lines.append(f"{block.marker} {block.text}".strip())
        elif isinstance(block, ListItem):
            lines.append(f"{block.marker or '・'}{block.text}")
        elif isinstance(block, Fields):
            lines.extend(f"{f.label}：{f.value}" for f in block.fields)
        elif isinstance(block, Table):
            lines.extend("　".join(c.text.replace("\n", " ") for c in row)
                         for row in (*block.header, *block.rows))
    return extract_report("\n".join(lines), file=document.name, fiscal_year=fiscal_year)
