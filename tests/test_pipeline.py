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


def test_reading_in_worker_processes_gives_what_one_process_reads(tmp_path):
    """Files read by forked workers (reports.read_inputs with workers) come back as one
    process reads them: the same reports, in the order given, whatever their formats; an
    unreadable file is the same one-line error."""
    from aical.errors import InputError
    from aical.reports import read_inputs

    corpus = sorted((DATA / "events-corpus" / "docs").iterdir())
    files = [SAMPLE, *corpus[:6]]
    alone, shared = read_inputs(files, workers=0), read_inputs(files, workers=2)
    assert [i.name for i in shared] == [SAMPLE.name, *(p.name for p in corpus[:6])]
    assert shared == alone
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not a pdf")
    errors = []
    for workers in (0, 2):
        with pytest.raises(InputError) as raised:
            read_inputs([SAMPLE, broken, *corpus[:2]], workers=workers)
        errors.append((raised.value.file, str(raised.value)))
    assert errors[0] == errors[1] and errors[0][0] == str(broken)


def test_a_reading_worker_that_dies_is_a_one_line_error(tmp_path, monkeypatch):
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
        files[-1].write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        reports.read_inputs(files, workers=2)
    assert raised.value.file == str(files[1])
    assert "ended without a result" in str(raised.value) and raised.value.hint


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
