"""Document → events and warnings: the heading outline, the recognisers and the one event
builder. Pure functions; no file I/O, no iCalendar, no HTML.

The flow (DESIGN.md's "recognisers → candidates → builder"):

1. :func:`aical.extract.outline.outline` turns the document's blocks into logical lines
   under their headings (each with its body path and the dates found in it) and places
   tables and field blocks in the same outline.
2. **Recognisers** read the outline's items and return findings
   (:mod:`aical.extract.builder`: ``Candidate``, ``Agenda``, ``NoMeetings``,
   ``Undated``). A recogniser knows a layout, never a file format:

   - :mod:`aical.extract.lists`: bullets and lines under headings (the sample's layout);
   - ``tables`` (a :class:`aical.document.Table`) and ``fields`` (a
     :class:`aical.document.Fields` block): each a module with
     ``recognise(placed: Placed, outline: Outline) -> list[Finding]``, picked up by
     :func:`extract_document` when present.

   Lines are offered to the line recognisers in order; the first that claims a line
   (returns a list, even an empty one) ends it, ``None`` passes it on.
3. :func:`aical.extract.builder.build` makes events, bodies and warnings from all findings
   in document order: year repair, mode, venue, times, body, UID, warnings.

The stages pass items on as they make them, in batches (:func:`outline.batches`): the
outline's items to the gathering of field blocks (:func:`fields.gathered`) and the line
recognisers, their findings to the builder. So a big report's outline can be made in
another process while this one reads it (``outline_in``). Tables and field blocks are read
once the outline is whole (a block may still grow, and is read against the days above
it), and the findings after the first of them wait until then; the issuer is read from
the whole outline too, once every finding is in. The result is that of the stages run one
after the other.

``extract_report(text, file=…)`` is the same for a text given as a string.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aical.dates.era import FiscalYear
    from aical.document import Document
    from aical.model import Report

__all__ = ["extract_document", "extract_report"]

#: Block recognisers by block type name: module names under aical.extract, each with
#: ``recognise(placed, outline) -> list[Finding]``. A module not (yet) there is skipped.
_BLOCK_RECOGNISERS = {"Table": "tables", "Fields": "fields"}


def _block_recogniser(kind: str):
    name = _BLOCK_RECOGNISERS.get(kind)
    if name is None:
        return None
    try:
        module = importlib.import_module(f"aical.extract.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"aical.extract.{name}":
            raise
        return None
    return getattr(module, "recognise", None)


def extract_document(document: Document, *, fiscal_year: FiscalYear | None = None,
                     outline_in=None) -> Report:
    """Bodies, events and warnings of one document, whatever format it was read from.

    ``fiscal_year`` (年度) overrides the one the document's title names; without either,
    no year is repaired.

    ``outline_in`` runs the outline: given the function making the outline's parts
    (:func:`aical.extract.outline.outline_stream`), it returns an iterator of those parts,
    the same as calling it would (:func:`aical.workers.stream_forked` makes them in another
    process, while this one reads them). The result is the same either way.
    """
    from aical.extract.builder import Candidate, build
    from aical.extract import lines, prose
    from aical.extract.fields import gathered
    from aical.extract.issuer import issuer
    from aical.extract.lists import Lists
    from aical.extract.outline import Line, OutlineEnd, batches, outline_stream
    from aical.extract.referents import Referents
    from aical.extract.status import is_draft_title
    from aical.messages import msg
    from aical.model import Report, Warning

    def make_outline():
        return outline_stream(document, fiscal_year=fiscal_year)

    parts = iter(outline_in(make_outline) if outline_in is not None else make_outline())
    head = next(parts)
    ends: list[OutlineEnd] = []

    def items():
        for part in parts:
            if isinstance(part, OutlineEnd):
                ends.append(part)
            else:
                yield part

    # the outline's items, label lines (日時：… / 場所：…) gathered into field blocks as
    # a reader's <dl> is, read by the same recogniser
    gathered_items: list = []
    doc = head

    def findings():
        """The findings in document order, as the outline's items come. A block (a table,
        fields) is read once the whole outline is there (it may grow, and is read against
        the days above it), so the findings after one wait for the end."""
        nonlocal doc
        lists = Lists()
        line_recognisers = (lists.read, lines.Lines().read, prose.read)
        referents = Referents()
        later: list = []  # after the first block: lists of findings, a block's index
        for indexes in batches(gathered(items(), gathered_items)):
            ready = []
            for index in indexes:
                item = gathered_items[index]
                if not isinstance(item, Line):
                    lists.reset()
                    later.append(index)
                    continue
                for recognise in line_recognisers:
                    found = recognise(item)
                    if found is not None:
                        if recognise == lists.read and "。" in item.text:
                            # an item of several sentences (・ 清掃作業：4月29日から開始。
                            # 片付けは5月6日を予定): the list takes its activity, prose the
                            # sentences after
                            found = found + prose.read_after(
                                item, item.text.index("。") + 1,
                                [f.match for f in found if isinstance(f, Candidate)])
                        found = referents.resolve(found)
                        if later:
                            later.append(found)
                        else:
                            ready.extend(found)
                        break
                referents.read(item.text)
            yield from ready
        doc = replace(head, items=tuple(gathered_items), warnings=ends[-1].warnings)
        for waiting in later:
            if isinstance(waiting, int):
                block = gathered_items[waiting]
                recognise = _block_recogniser(type(block.block).__name__)
                if recognise is not None:
                    yield from recognise(block, doc)
            else:
                yield from waiting

    def issued():
        return issuer([item.text for item in doc.items if isinstance(item, Line)])

    built = build(findings(), file=head.file, fiscal_year=head.fiscal_year,
                  draft=is_draft_title(head.title), issuer=issued)
    from aical.extract.checks import suspicious_years

    # what the reader wants a person to see (OCR text to check, a page not read) first
    notes = [Warning(code, message, at.file, at.line, at.page)
             for code, message, at in document.notes]
    warnings = notes + sorted((*doc.warnings, *built.warnings, *suspicious_years(doc)),
                              key=lambda w: (w.page or 0, w.line or 0, w.code))
    if not built.events and not built.bodies:
        # an empty calendar must not pass for a successful build unnoticed
        warnings.append(Warning("no_meetings", msg("extract.no_meetings", kind=document.kind),
                                doc.file))
    return Report(file=doc.file, title=doc.title, fiscal_year=doc.fiscal_year,
                  bodies=built.bodies, events=built.events, warnings=tuple(_dedupe(warnings)))


def extract_report(text: str, *, file: str, fiscal_year: FiscalYear | None = None) -> Report:
    """Bodies, events and warnings of a report given as text (one line a paragraph, as the
    text reader reads a file). ``file`` is only the name used in sources and warnings."""
    from aical.extract.outline import text_document

    return extract_document(text_document(text, file), fiscal_year=fiscal_year)


def _dedupe(warnings):
    out, seen = [], set()
    for w in warnings:
        if (w.code, w.page, w.line, w.message) not in seen:
            seen.add((w.code, w.page, w.line, w.message))
            out.append(w)
    return out
