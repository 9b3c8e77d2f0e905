"""The whole reading path, as a user runs it: the sample in every encoding and as PDF gives
the 84 expected events (and the line-98 repair), whatever file it arrives in."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aical.cli import cli
from conftest import DATA, SAMPLE, split_body

# case → (how the file is written, the encoding aical must say it read)
ENCODINGS = {
    "cp932-crlf": (lambda text: text.replace("\n", "\r\n").encode("cp932"), "cp932"),
    # EUC-JP has no U+FF5E: its wave dash is U+301C, as real EUC-JP files carry it
    "euc-jp": (lambda text: text.replace("～", "〜").encode("euc-jp"), "euc-jp"),
    "utf-8-bom": (lambda text: text.encode("utf-8-sig"), "utf-8-sig"),
    "utf-16": (lambda text: text.encode("utf-16"), "utf-16"),
    "utf-16-be-crlf": (lambda text: b"\xfe\xff" + text.replace("\n", "\r\n").encode("utf-16-be"),
                       "utf-16"),
}


def extract(path) -> dict:
    result = CliRunner().invoke(cli, ["extract", "--json", "-v", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def essentials(event: dict) -> tuple:
    return (tuple(event["body"]), event["first_day"], event["last_day"], event["precision"],
            event["mode"] or "", event["venue"] or "")


def expected(rows) -> list[tuple]:
    return sorted((split_body(r["body"]), r["first"], r["last"], r["precision"], r["mode"],
                   r["venue"]) for r in rows)


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_encoding_gives_the_84_events(tmp_path, expected_rows, encoding):
    path = tmp_path / f"r2-{encoding}.txt"
    write, name = ENCODINGS[encoding]
    path.write_bytes(write(SAMPLE.read_text(encoding="utf-8")))
    data, stderr = extract(path)
    assert sorted(essentials(e) for e in data["events"]) == expected(expected_rows)
    assert sorted(e["source"]["line"] for e in data["events"]) == \
        sorted(int(r["line"]) for r in expected_rows)
    assert [w["line"] for w in data["warnings"] if w["code"] == "out_of_fiscal_year"] == [98]
    assert f"read as {name};" in stderr


@pytest.mark.parametrize("pdf", ["r2-jigyo-hokoku.pdf", "reading-r2-embedded.pdf"])
def test_the_pdfs_give_the_84_events(expected_rows, pdf):
    data, stderr = extract(DATA / pdf)
    assert sorted(essentials(e) for e in data["events"]) == expected(expected_rows)
    assert [w["code"] for w in data["warnings"]].count("out_of_fiscal_year") == 1
    assert "read as pdf" in stderr


def test_uids_do_not_depend_on_the_container(expected_rows):
    text, _ = extract(SAMPLE)
    pdf, _ = extract(DATA / "r2-jigyo-hokoku.pdf")
    assert sorted(e["uid"] for e in text["events"]) == sorted(e["uid"] for e in pdf["events"])


@pytest.mark.parametrize("workers", [1, 2])
def test_reading_in_worker_processes_gives_what_one_process_reads(tmp_path, workers):
    """Files read by forked workers (reports.read_inputs with workers: one sends its
    results through a pipe, several through files) come back as one process reads them:
    the same reports, in the order given, whatever their formats; an unreadable file is
    the same one-line error."""
    from aical.errors import InputError
    from aical.reports import read_inputs

    corpus = sorted((DATA / "events-corpus" / "docs").iterdir())
    files = [SAMPLE, *corpus[:6]]
    alone, shared = read_inputs(files, workers=0), read_inputs(files, workers=workers)
    assert [i.name for i in shared] == [SAMPLE.name, *(p.name for p in corpus[:6])]
    assert shared == alone
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not a pdf")
    errors = []
    for workers in (0, workers):
        with pytest.raises(InputError) as raised:
            read_inputs([SAMPLE, broken, *corpus[:2]], workers=workers)
        errors.append((raised.value.file, str(raised.value)))
    assert errors[0] == errors[1] and errors[0][0] == str(broken)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_reading_worker_that_dies_is_a_one_line_error(tmp_path, monkeypatch, workers):
    """A worker killed while it reads (out of memory, say) leaves no result: the build
    fails with the file it was reading and what to do, not a traceback."""
    import os

    import aical.reports as reports
    from aical.errors import InputError

    real = reports._read_one

    def dying(item, **options):
        if item.path.name == "b.txt":
            os._exit(9)
        return real(item, **options)

    monkeypatch.setattr(reports, "_read_one", dying)
    files = []
    for name in ("a.txt", "b.txt", "c.txt"):
        files.append(tmp_path / name)
        # a small result (a few KB) stays in the worker's buffer unless it is flushed
        files[-1].write_text("令和2年度事業報告\n1 総会\n・第1回総会（令和2年5月1日）\n",
                             encoding="utf-8")
    with pytest.raises(InputError) as raised:
        reports.read_inputs(files, workers=workers)
    assert raised.value.file == str(files[1])
    assert "ended without a result" in str(raised.value) and raised.value.hint


def test_a_helper_that_dies_while_making_the_outline_is_a_one_line_error(tmp_path, monkeypatch):
    """The helper making a big report's outline (killed, out of memory) leaves the build
    without the rest of it: a one-line error naming the file and what to do."""
    import os

    import aical.extract.outline as outline
    import aical.reports as reports
    from aical.errors import InputError
    from aical.read.inputs import InputFile
    from aical.workers import can_fork, stream_forked

    if not can_fork():
        pytest.skip("no fork here: a report is extracted in one process")
    real = outline.outline_stream

    def dying(document, **options):
        parts = real(document, **options)
        yield next(parts)
        os._exit(9)

    monkeypatch.setattr(outline, "outline_stream", dying)
    path = tmp_path / "big.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        reports._read_one(InputFile(path, path.name), fiscal_year=None, ocr=False,
                          outline_in=stream_forked)
    assert raised.value.file == str(path)
    assert "ended without a result" in str(raised.value) and raised.value.hint


def test_a_lone_big_report_takes_two_cores_and_several_files_one_each(tmp_path):
    from aical.read.inputs import InputFile
    from aical.reports import PARALLEL_MIN_BYTES, splits_extraction
    from aical.workers import can_fork, cores

    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_bytes(b"x" * PARALLEL_MIN_BYTES)
    small.write_bytes(b"x" * (PARALLEL_MIN_BYTES - 1))
    two_cores = cores() > 1 and can_fork()
    assert splits_extraction([InputFile(big, "big.txt")]) == two_cores
    assert not splits_extraction([InputFile(small, "small.txt")])
    assert not splits_extraction([InputFile(big, "big.txt"), InputFile(big, "b.txt")])


def test_reading_without_room_for_the_workers_results_reads_in_this_process(monkeypatch):
    """A full or read-only temporary folder leaves the workers nowhere to put their results:
    the files are read by the build itself, with the same result."""
    import errno
    import tempfile

    from aical.reports import read_inputs

    alone = read_inputs([SAMPLE, SAMPLE], workers=0)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    assert read_inputs([SAMPLE, SAMPLE], workers=2) == alone


def test_an_extraction_split_over_two_processes_gives_what_one_process_makes():
    """A big lone report's outline is made in a forked helper while this process reads its
    items (aical.workers.stream_forked): the report is the one a single process makes,
    whatever the batches it comes in, for the sample and each corpus document (PDF, Word,
    Excel, HTML, text)."""
    import functools

    from aical.extract import extract_document
    from aical.read import read_document
    from aical.workers import can_fork, stream_forked

    if not can_fork():
        pytest.skip("no fork here: a report is extracted in one process")
    for path in [SAMPLE, *sorted((DATA / "events-corpus" / "docs").iterdir())]:
        document = read_document(path, path.name)
        alone = extract_document(document)
        for batch in (1, 500):
            split = functools.partial(stream_forked, batch=batch)
            assert extract_document(document, outline_in=split) == alone, (path.name, batch)


def _read_all(stream, returned: list):
    returned.append((yield from stream))


def test_a_split_extraction_has_its_helper_make_the_digest(monkeypatch, tmp_path):
    """The helper making a lone big report's outline makes the document's digest (the
    manifest's sha256) once the outline is sent, while this process finishes the report:
    the same digest and report as one process makes, made in the helper. A stream's
    ``after`` runs in the helper once every part is sent, and its value is the stream's
    Pending result."""
    import os
    import time

    import aical.reports as reports
    from aical.dates.era import FiscalYear
    from aical.read.inputs import InputFile
    from aical.workers import can_fork, stream_forked

    if not can_fork():
        pytest.skip("no fork here: a report is extracted in one process")
    got = []
    parts = _read_all(stream_forked(lambda: iter(range(1200)), batch=500, after=os.getpid), got)
    assert list(parts) == list(range(1200))
    assert got and got[0].result() != os.getpid()

    def failing():
        return 1 // 0

    got.clear()
    assert list(_read_all(stream_forked(lambda: iter("ab"), after=failing), got)) == ["a", "b"]
    with pytest.raises(ZeroDivisionError):
        got[0].result()

    # the parts end before ``after`` does: this process goes on while the helper works
    go = tmp_path / "go"

    def waiting():
        for _ in range(200):
            if go.exists():
                return "went on"
            time.sleep(0.05)
        return "waited for after"

    got.clear()
    assert list(_read_all(stream_forked(lambda: iter("ab"), after=waiting), got)) == ["a", "b"]
    go.touch()
    assert got[0].result() == "went on"

    item = InputFile(SAMPLE, SAMPLE.name)
    alone = reports._read_one(item, fiscal_year=None, ocr=False)
    split = reports._read_one(item, fiscal_year=None, ocr=False, outline_in=stream_forked)
    assert split == alone
    # a report that names no year, read again in the one given: two outlines, one digest
    yearless = tmp_path / "yearless.txt"
    yearless.write_text("・第1回総会　5月12日\n・第2回総会　6月3日\n", encoding="utf-8")
    item_yearless = InputFile(yearless, yearless.name)
    given = FiscalYear.parse("R2")
    alone = reports._read_one(item_yearless, fiscal_year=given, ocr=False)
    split = reports._read_one(item_yearless, fiscal_year=given, ocr=False,
                              outline_in=stream_forked)
    assert split == alone and alone.report.fiscal_year == given
    monkeypatch.setattr(reports, "_digest", lambda document: f"made by {os.getpid()}")
    split = reports._read_one(item, fiscal_year=None, ocr=False, outline_in=stream_forked)
    assert split.sha256.startswith("made by ") and split.sha256 != f"made by {os.getpid()}"


def test_field_blocks_are_gathered_as_the_outline_comes():
    """fields.gathered reads the outline's items as they come and names each index once its
    item stays put, so the recognisers can read a line while the rest is still being made:
    every line named is the one the finished outline holds there, and the first index
    comes long before the outline's end."""
    from aical.extract.fields import gathered
    from aical.extract.outline import Line, outline, text_document

    # 200 notices, each a title line, its block and a second block of its day (merged)
    notices = "".join(
        f"第{k}回環境審議会の開催について\n日 時：{2000 + k // 28} 年 4 月 {1 + k % 28} 日 13：30\n"
        f"場 所：市役所 3階 会議室\n議 題：計画について\n"
        f"〔資料〕\n日 時：{2000 + k // 28} 年 4 月 {1 + k % 28} 日\n場 所：市役所\n"
        for k in range(200))
    doc = outline(text_document(notices + SAMPLE.read_text(encoding="utf-8"), "n.txt"))
    pulled = 0

    def items():
        nonlocal pulled
        for item in doc.items:
            pulled += 1
            yield item

    out: list = []
    named, first_at = [], None
    for index in gathered(items(), out):
        first_at = pulled if first_at is None else first_at
        named.append((index, out[index]))
    assert [i for i, _ in named] == list(range(len(out)))
    assert all(out[i] is item for i, item in named if isinstance(item, Line))
    assert sum(not isinstance(item, Line) for item in out) == 200  # the blocks were made
    assert not any(isinstance(item, Line) and "開催について" in item.text for item in out)
    assert first_at < 10 < len(doc.items)
