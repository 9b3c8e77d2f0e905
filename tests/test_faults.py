"""Faults during a build (issue 7): killed, raced, failing. The published folder is always
one complete build — the previous one or the new one — never a mix, never missing.

Real processes are killed with SIGKILL at several points (while reading, as the staging
folder appears, while it is being filled); two builds race into one folder; and the swap
itself is made to fail. tests/test_site.py covers a disk filling up while writing and the
sweep of a stale staging folder; these tests do not repeat them.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aical.publish import site
from aical.publish.site import render_site, write_site
from aical.reports import expand_inputs, read_inputs
from conftest import files_of, require

AICAL = Path(sys.executable).parent / "aical"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1617235200"}


def report(bodies: int, month: int) -> str:
    """A report with many bodies, so a build writes many files and takes a while."""
    lines = ["令和2年度事業報告", "1 会議"]
    for i in range(bodies):
        lines.append(f"【第{i}部会】")
        lines.append(f"・第1回部会（令和2年{month}月{1 + i % 28}日、書面開催）")
    return "\n".join(lines) + "\n"


def leftovers(parent: Path, name: str = "out") -> list[str]:
    """What a build left in its work folder besides the lock (staging, a retired build)."""
    work = parent / f".{name}.aical-work"
    return sorted(p.name for p in work.iterdir() if p.name != "lock") if work.is_dir() else []


def aical_build(out: Path, source: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([str(AICAL), "build", "--out", str(out), str(source)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV,
                            **kwargs)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Two large reports and a reference build of each."""
    tmp = tmp_path_factory.mktemp("faults")
    a, b = tmp / "a.txt", tmp / "b.txt"
    a.write_text(report(800, 5), encoding="utf-8")
    b.write_text(report(800, 9), encoding="utf-8")
    os.utime(a, (1617235200, 1617235200))
    os.utime(b, (1617235200, 1617235200))
    references = {}
    for source in (a, b):
        done = subprocess.run([str(AICAL), "build", "--out", str(tmp / f"ref-{source.stem}"),
                               str(source)], capture_output=True, env=ENV, timeout=300)
        assert done.returncode == 0, done.stderr
        references[source.stem] = files_of(tmp / f"ref-{source.stem}")
    assert references["a"] != references["b"]
    return a, b, references


def whole(files: dict[str, bytes]) -> dict[str, bytes]:
    """A build's files without what the calendar's memory adds (SEQUENCE lines and
    state.json): a build over another bumps the SEQUENCE of the meetings it changed, and is
    still one whole build."""
    import re

    return {name: re.sub(rb"SEQUENCE:\d+\r\n", b"", data) for name, data in files.items()
            if name != "state.json"}


def wait_for(predicate, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.parametrize("when", ["reading", "staging appears", "staging half full"])
def test_a_killed_build_leaves_the_previous_output(tmp_path, inputs, when):
    a, b, references = inputs
    out = tmp_path / "out"
    assert subprocess.run([str(AICAL), "build", "--out", str(out), str(a)], env=ENV,
                          capture_output=True, timeout=300).returncode == 0
    assert files_of(out) == references["a"]

    process = aical_build(out, b)
    if when == "reading":
        time.sleep(0.3)
    elif when == "staging appears":
        assert wait_for(lambda: leftovers(tmp_path) or process.poll() is not None)
    else:
        def half_full():
            staged = [p for p in tmp_path.glob(".out.aical-work/new-*/bodies")]
            return process.poll() is not None or (
                staged and len(os.listdir(staged[0])) >= 400)
        assert wait_for(half_full)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    require(process.returncode != 0, f"the build finished before it could be killed ({when})")
    assert process.returncode == -signal.SIGKILL
    assert files_of(out) == references["a"], "the previous build changed"

    # the next build sweeps what the kill left and succeeds
    done = subprocess.run([str(AICAL), "build", "--out", str(out), str(b)], env=ENV,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert whole(files_of(out)) == whole(references["b"])
    assert leftovers(tmp_path) == []


def test_staging_was_really_caught(tmp_path, inputs):
    """The kill points above are reachable: a build's staging folder exists for a while
    and fills up file by file (else those tests would only ever kill before or after)."""
    _, b, _ = inputs
    process = aical_build(tmp_path / "out", b)
    seen = wait_for(lambda: leftovers(tmp_path) or process.poll() is not None)
    caught = bool(leftovers(tmp_path))
    process.wait(timeout=300)
    assert seen and process.returncode == 0
    require(caught, "the build finished between two polls")


@pytest.mark.parametrize("round_", range(3))
def test_two_builds_at_once_leave_one_whole_build(tmp_path, inputs, round_):
    a, b, references = inputs
    out = tmp_path / "out"
    first = aical_build(out, a)
    second = aical_build(out, b)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.wait(timeout=300) == 0, second.stderr.read()
    first.stderr.close()
    second.stderr.close()
    built = files_of(out)
    assert whole(built) in (whole(references["a"]), whole(references["b"])), \
        "a mix of two builds"
    assert leftovers(tmp_path) == []


def test_builds_racing_into_a_fresh_folder(tmp_path, inputs):
    """No previous output at all: both create it; the result is still one whole build."""
    a, b, references = inputs
    out = tmp_path / "new" / "out"
    processes = [aical_build(out, source) for source in (a, b, a)]
    for process in processes:
        assert process.wait(timeout=300) == 0, process.stderr.read()
        process.stderr.close()
    assert whole(files_of(out)) in (whole(references["a"]), whole(references["b"]))
    assert leftovers(out.parent) == []


# ------------------------------------------------------------------ the swap failing


@pytest.fixture(scope="module")
def two_sites(inputs):
    a, b, references = inputs
    stamp = dt.datetime(2021, 4, 1, tzinfo=dt.timezone.utc)
    return (render_site(read_inputs(expand_inputs([a])), stamp=stamp).files,
            render_site(read_inputs(expand_inputs([b])), stamp=stamp).files)


def test_a_failed_exchange_leaves_the_previous_output(tmp_path, two_sites, monkeypatch):
    old, new = two_sites
    out = tmp_path / "out"
    write_site(old, out)

    def refuse(a, b):
        raise OSError(5, "Input/output error", str(b))

    monkeypatch.setattr(site, "_exchange", refuse)
    with pytest.raises(OSError):
        write_site(new, out)
    assert files_of(out) == dict(sorted(old.items()))
    assert leftovers(tmp_path) == []


def test_where_folders_cannot_be_exchanged_a_failed_second_rename_is_undone(
        tmp_path, two_sites, monkeypatch):
    old, new = two_sites
    out = tmp_path / "out"
    write_site(old, out)
    monkeypatch.setattr(site, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def flaky(source, target):
        if Path(source).name.startswith("new-") and Path(source).parent.name == ".out.aical-work":
            raise OSError(28, "No space left on device")
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", flaky)
    with pytest.raises(OSError):
        write_site(new, out)
    monkeypatch.setattr(os, "rename", real_rename)
    assert files_of(out) == dict(sorted(old.items()))
    assert leftovers(tmp_path) == []

    write_site(new, out)  # and without the fault, the fallback swaps
    assert files_of(out) == dict(sorted(new.items()))
    assert leftovers(tmp_path) == []


def test_a_build_killed_between_two_renames_is_put_back(tmp_path, two_sites, monkeypatch):
    """The state a kill leaves between the fallback's two renames: the previous build in
    .out.aical-work/old-*/previous and no out. The next build restores it before anything else, so
    even if that build then fails, the previous output is published again."""
    old, new = two_sites
    out = tmp_path / "out"
    write_site(old, out)
    retired = tmp_path / ".out.aical-work" / "old-killed"
    retired.mkdir()
    os.rename(out, retired / "previous")

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site, "_write_file", disk_full)
    with pytest.raises(OSError):
        write_site(new, out)
    monkeypatch.undo()
    assert files_of(out) == dict(sorted(old.items()))
    assert leftovers(tmp_path) == []


def test_a_failure_while_rendering_changes_nothing(tmp_path, inputs, monkeypatch):
    from click.testing import CliRunner

    from aical.publish import html
    from aical.cli import cli

    a, b, references = inputs
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--out", str(out), str(a)],
                         env={"SOURCE_DATE_EPOCH": "1617235200"}).exit_code == 0
    assert files_of(out) == references["a"]

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(html, "year_page_chunks", broken)
    result = runner.invoke(cli, ["build", "--out", str(out), str(b)])
    # the CLI reports it in one line as a bug (exit 1), never a traceback
    assert result.exit_code == 1
    assert "internal error (MemoryError" in result.output
    assert files_of(out) == references["a"]
    assert leftovers(tmp_path) == []
