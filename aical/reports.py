"""Inputs → reports: find the files, read each into a Document, extract its Report.

An edge (it touches files, through :mod:`aical.read.inputs` and :func:`aical.read.read_document`)
between the command line and the pure stages: the readers know nothing of meetings and
the extractor nothing of files, so this is where one becomes the other.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aical.errors import InputError
from aical.messages import msg
from aical.read.inputs import InputFile, Inputs, find_inputs

if TYPE_CHECKING:
    from aical.dates.era import FiscalYear
    from aical.document import Document
    from aical.model import Report


@dataclass(frozen=True)
class Input:
    """One report as read: its name (relative to the input folder), how it was read (the
    codec, or the format), and the SHA-256 of its blocks' text (so a report re-saved in
    another encoding keeps it)."""

    name: str
    encoding: str
    sha256: str
    report: Report
    kind: str = "text"


def expand_inputs(inputs: Iterable[str | Path], *, recursive: bool = False) -> list[InputFile]:
    """The files the inputs stand for, folders expanded (see :func:`find_inputs`, which also
    says what a folder scan skipped)."""
    return list(find_inputs(list(inputs), recursive=recursive).files)


#: Reading in worker processes pays once the inputs hold this much (bytes): below it, the
#: workers' start and the results' pickling cost more than a second core saves.
PARALLEL_MIN_BYTES = 1_000_000
#: A lone report this big is read in one worker all the same: this process then holds its
#: compact result only, not the 3× garbage extraction leaves behind, so that the pages can
#: be written by a forked writer meanwhile (:data:`aical.publish.site.FORK_MAX_MB`).
COMPACT_MIN_BYTES = 16_000_000


def read_inputs(files: Sequence[InputFile | Path] | Inputs, *,
                fiscal_year: FiscalYear | None = None, progress=None,
                ocr: bool = False, workers: int | None = None) -> list[Input]:
    """Read and extract each file. ``fiscal_year`` is used for a document whose title names
    none (a lone input, typically); documents that name their year keep it. A bare path
    is called by its file name. ``ocr`` reads PDF pages without a text layer by OCR.

    ``workers`` forked processes read the files meanwhile (0: this process alone; default:
    :func:`reading_workers`). The result is the same either way, in the order of
    ``files``, and an unreadable file raises the same error."""
    from aical.read.inputs import display_name

    if isinstance(files, Inputs):
        files = files.files
    items = [f if isinstance(f, InputFile) else InputFile(Path(f), display_name(Path(f).name))
             for f in files]
    outline_in = None
    if workers is None:
        workers = reading_workers(items)
        if splits_extraction(items):
            from aical.workers import stream_forked as outline_in
    read_one = functools.partial(_read_one, fiscal_year=fiscal_year, ocr=ocr,
                                 outline_in=outline_in)
    if not workers:
        return list(progress(map(read_one, items)) if progress else map(read_one, items))
    from aical.workers import WorkerDied, map_forked

    try:
        read = map_forked(read_one, items, workers)
    except WorkerDied as died:
        raise _worker_died(items[died.index]) from None
    if progress:  # the bar fills as the results come back, all at once
        read = list(progress(read))
    return read


def reading_workers(items: Sequence[InputFile]) -> int:
    """How many worker processes should read ``items``: one per core (up to one per file)
    once they hold :data:`PARALLEL_MIN_BYTES`, one for a lone report of
    :data:`COMPACT_MIN_BYTES`, else none (and none where forking is unsafe)."""
    from aical.workers import can_fork, cores

    if not items or not can_fork():
        return 0
    size = 0
    for item in items:
        try:
            size += item.path.stat().st_size
        except OSError:
            pass  # reading it will say what is wrong
    available = cores()
    if len(items) > 1 and available > 1 and size >= PARALLEL_MIN_BYTES:
        return min(available, len(items))
    return 1 if size >= COMPACT_MIN_BYTES else 0


def splits_extraction(items: Sequence[InputFile]) -> bool:
    """Whether a lone report's extraction should take two cores (its outline made in a
    forked helper, :func:`aical.workers.stream_forked`): a report of
    :data:`PARALLEL_MIN_BYTES` or more, on a machine of two cores or more, where forking
    is safe. Several files take one core each instead."""
    from aical.workers import can_fork, cores

    if len(items) != 1 or cores() < 2 or not can_fork():
        return False
    try:
        return items[0].path.stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False  # reading it will say what is wrong


def _read_one(item: InputFile, *, fiscal_year: FiscalYear | None, ocr: bool,
              outline_in=None) -> Input:
    """One file read and extracted (in this process or a worker). ``outline_in``, when
    given, is :func:`aical.workers.stream_forked` (or a partial of it): see
    :func:`aical.extract.extract_document`."""
    from aical.extract import extract_document
    from aical.read import read_document

    try:
        document = read_document(item.path, item.name, ocr=ocr)
    except InputError as error:
        # A message on the terminal names the file as the user can find it (the path
        # given); only published outputs use the name.
        if error.file != item.name:
            raise
        raise InputError(str(item.path), error.message, error.line, error.hint) from None
    from aical.workers import WorkerDied

    pending: list = []
    if outline_in is not None:
        # the helper making the outline is idle once it is sent, while the recognisers and
        # the builder finish: it makes the digest meanwhile (45 MB: 1.1 s on one core)
        outline_in = functools.partial(_digesting, outline_in, document, pending)
    try:
        report = extract_document(document, outline_in=outline_in)
        if report.fiscal_year is None and fiscal_year is not None:
            # the user's 年度 for a document that names none: its dates are read in it
            for helper in pending:  # its digest is made again, beside this extraction
                helper.close()
            report = extract_document(document, fiscal_year=fiscal_year,
                                      outline_in=outline_in)
        digest = pending[-1].result() if pending else _digest(document)
    except WorkerDied:  # the helper making its outline
        raise _worker_died(item) from None
    finally:
        for helper in pending:
            helper.close()
    if report.fiscal_year is None:
        # the year most events fall in files the report under a 年度; its dates stay as
        # its own context read them (a report dated November 2025 that says 来年１月
        # means 2026, whichever 年度 most of its events fall in)
        guessed = _year_from_events(report)
        if guessed is not None:
            report = dataclasses.replace(report, fiscal_year=guessed)
    return Input(document.name, document.encoding or document.kind, digest, report,
                 document.kind)


def _digesting(outline_in, document: Document, pending: list, make):
    """``outline_in(make)``'s parts, its helper making ``document``'s digest once they are
    sent; the :class:`aical.workers.Pending` digest goes to ``pending``."""
    pending.append((yield from outline_in(make, after=functools.partial(_digest, document))))


def _worker_died(item: InputFile) -> InputError:
    """The error of a worker or helper that ended (killed, out of memory) while it read
    ``item``."""
    return InputError(str(item.path), msg("read.worker_died"),
                      hint=msg("read.hint_worker_died"))


def _digest(document: Document) -> str:
    """SHA-256 of a document's text blocks in order: the same report re-saved in another
    encoding keeps it."""
    digest = hashlib.sha256()
    blocks = document.blocks
    # each block's line, hashed 4,096 at a time: the same bytes as one update a block,
    # without two calls a block (618,000 blocks in a 45 MB text). A line is
    # repr((type name, text or repr(block))); a type name is an identifier, whose repr is
    # itself quoted, so the tuple's repr need not be made for a block with text
    for start in range(0, len(blocks), 4096):
        digest.update("".join(
            f"('{type(block).__name__}', {text!r})\n"
            if (text := getattr(block, "text", None))
            else repr((type(block).__name__, repr(block))) + "\n"
            for block in blocks[start:start + 4096]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _year_from_events(report: Report) -> FiscalYear | None:
    """The fiscal year most of a report's events fall in, for documents with no title year."""
    from aical.dates.era import fiscal_year_of

    years = Counter(fiscal_year_of(e.first_day) for e in report.events)
    return years.most_common(1)[0][0] if years else None


def select_year(inputs: Sequence[Input], year: FiscalYear | None) -> list[Input]:
    """The inputs of ``year`` (all when None); an error naming what was found otherwise."""
    if year is None:
        return list(inputs)
    chosen = [i for i in inputs if i.report.fiscal_year == year]
    if not chosen:
        found = sorted({i.report.fiscal_year for i in inputs if i.report.fiscal_year})
        listed = ", ".join(f"{y.label} ({y.short})" for y in found) or msg("site.none")
        raise InputError(", ".join(i.name for i in inputs) or "-",
                         msg("site.no_document_of_year", year=f"{year.label} ({year.short})",
                             found=listed),
                         hint=msg("site.hint_year"))
    return chosen


__all__ = ["Input", "expand_inputs", "read_inputs", "reading_workers", "select_year",
           "splits_extraction"]
