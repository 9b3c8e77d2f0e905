"""Never delete what aical did not write, never publish half a folder, and fail in one line
(issue 10, and the publishing guard of issue 13).

Each test is one finding of the attack on the build, written from its description: a
planted manifest, the input folder as --out, a neighbouring ``pub.preview`` build, glob
characters in --out, a symlinked --out, a vanished staging folder, OS failures (full disk,
permission denied, a name too long, a dangling symlink, a path below a file, ``--out .``,
a mount point), file names in any bytes, Ctrl-C and a closed pipe.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aical.cli import cli
from aical.publish import site
from conftest import SAMPLE, assert_handled, files_of, interruptible, require

AICAL = Path(sys.executable).parent / "aical"
ENV = {"SOURCE_DATE_EPOCH": "1617235200"}


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], env=ENV)


def one_line_failure(result, *needles: str) -> str:
    """Exit 1, handled, one line on stderr that holds every needle."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert_handled(result)
    # the build's own warnings (FILE:LINE: code: …) and a folder scan's note of the files
    # it skipped may come first; one error line ends it
    lines = [line for line in result.stderr.strip().splitlines()
             if not re.match(r".+:\d+: [a-z_]+: |.+: no_meetings: |skipped \d+ file", line)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def report(tmp_path: Path, name: str = "r.txt", meetings: int = 4) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    lines = ["令和2年度事業報告", "1 会議"]
    for i in range(meetings):
        lines += [f"（{i + 1}）第{i + 1}部会", f"・第1回部会（令和2年{5 + i % 7}月{1 + i % 28}日、書面開催）"]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path):
    """A published folder built from the sample."""
    result = run("build", "--out", tmp_path / "pub", SAMPLE)
    assert result.exit_code == 0, result.output
    return tmp_path / "pub"


# ------------------------------------------------------------------ ownership


@pytest.mark.parametrize("manifest", [
    '{"name": "My web app", "start_url": "/", "icons": []}',   # a web app manifest
    '{"manifest_version": 3, "name": "extension"}',            # a browser extension
    '{"generator": "aical"}',                                  # aical's name, no format
    '{"generator": "aical", "format": 999}',                   # a format aical never wrote
    'not json at all',
])
def test_a_planted_manifest_does_not_make_a_folder_aicals(tmp_path, manifest):
    folder = tmp_path / "webapp"
    folder.mkdir()
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    (folder / "index.html").write_text("<h1>mine</h1>", encoding="utf-8")
    before = files_of(folder)
    one_line_failure(run("build", "--out", folder, SAMPLE), str(folder), "refusing")
    assert files_of(folder) == before


def test_the_input_folder_is_never_the_output(tmp_path):
    source = report(tmp_path)
    # even with an aical manifest in it (a build that once landed there)
    shutil.copy(SAMPLE, source.parent / "sample.txt")
    good = run("build", "--out", tmp_path / "ref", source.parent)
    assert good.exit_code == 0
    shutil.copy(tmp_path / "ref" / "manifest.json", source.parent / "manifest.json")
    before = files_of(source.parent)
    one_line_failure(run("build", "--out", source.parent, source.parent), "input")
    one_line_failure(run("build", "--out", source.parent, source), "input")
    assert files_of(source.parent) == before


def test_an_output_holding_an_input_is_refused(tmp_path, good):
    inner = good / "drafts"
    inner.mkdir()
    shutil.copy(SAMPLE, inner / "r2.txt")
    before = files_of(good)
    one_line_failure(run("build", "--out", good, inner / "r2.txt"), "input")
    assert files_of(good) == before


def test_root_home_and_the_current_folder_are_refused(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "work")
    for out in (".", "..", str(home), "/"):
        result = CliRunner().invoke(cli, ["build", "--out", out, str(SAMPLE)], env=ENV)
        one_line_failure(result, "--out")
    assert sorted(p.name for p in home.rglob("*")) == ["work"]


# ------------------------------------------------------------------ exact staging names


def test_a_neighbouring_preview_build_is_never_swept(tmp_path, good):
    """The sweep of ``pub``'s leftovers used the glob ``.pub.*`` and deleted the staging
    folder of a concurrent ``pub.preview`` build, which then published half a site."""
    preview_work = tmp_path / ".pub.preview.aical-work"
    staging = preview_work / "new-inflight"
    (staging / "bodies").mkdir(parents=True)
    (staging / "bodies" / "x.ics").write_text("BEGIN:VCALENDAR", encoding="utf-8")
    old_style = tmp_path / ".pub.preview.new-tmpabc"  # the old naming, another tool's file
    old_style.mkdir()
    result = run("build", "--out", good, SAMPLE)
    assert result.exit_code == 0, result.output
    assert (staging / "bodies" / "x.ics").is_file() and old_style.is_dir()


@pytest.mark.parametrize("name", ["cal[1]", "*", "cal?", "a.*-tmp*"])
def test_glob_characters_in_out_match_only_themselves(tmp_path, name):
    neighbours = [tmp_path / "cal1", tmp_path / ".cal1.aical-work" / "new-x",
                  tmp_path / ".calx.aical-work" / "old-y", tmp_path / ".a.b-tmpz"]
    for folder in neighbours:
        folder.mkdir(parents=True)
        (folder / "keep").write_text("keep", encoding="utf-8")
    for _ in range(2):  # the second build sweeps and swaps
        result = run("build", "--out", tmp_path / name, SAMPLE)
        assert result.exit_code == 0, result.output
    assert all((folder / "keep").is_file() for folder in neighbours)


def test_a_staging_folder_that_vanishes_is_an_error_never_recreated(tmp_path, good,
                                                                    monkeypatch):
    before = files_of(good)
    real_write = site._write_file

    def vanish(path, data):
        real_write(path, data)
        staging = next(p for p in path.parents if p.name.startswith("new-"))
        shutil.rmtree(staging)  # what the old sweep of a neighbouring build did

    monkeypatch.setattr(site, "_write_file", vanish)
    result = run("build", "--out", good, SAMPLE)
    assert result.exit_code == 1
    assert_handled(result)
    assert files_of(good) == before


def test_a_symlinked_out_is_written_at_its_target_and_stays_a_link(tmp_path):
    target = tmp_path / "releases" / "current"
    target.mkdir(parents=True)
    link = tmp_path / "public"
    link.symlink_to(target, target_is_directory=True)
    first = run("build", "--out", link, SAMPLE)
    assert first.exit_code == 0, first.output
    assert link.is_symlink() and (target / "manifest.json").is_file()
    again = run("build", "--out", link, SAMPLE)
    assert again.exit_code == 0, again.output
    assert link.is_symlink() and os.readlink(link) == str(target)


# ------------------------------------------------------------------ OS failures in one line


def test_os_failures_are_one_line_naming_the_path(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    one_line_failure(run("build", "--out", a_file / "out", SAMPLE), "a-file", "is a file")
    one_line_failure(run("build", "--out", a_file, SAMPLE), "not a folder")
    one_line_failure(run("build", "--out", dangling, SAMPLE), "dangling", "does not exist")
    one_line_failure(run("build", "--out", tmp_path / ("x" * 300), SAMPLE), "too long")
    one_line_failure(run("build", "--out", tmp_path / "y" / ("x" * 300) / "out", SAMPLE),
                     "too long")


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "disk is full"),
                                         (errno.EACCES, "permission denied"),
                                         (errno.EROFS, "read-only")])
def test_a_refused_write_is_one_line_and_changes_nothing(tmp_path, good, monkeypatch,
                                                         code, words):
    # as root permissions are not enforced, so the refusal is simulated where it happens
    before = files_of(good)

    def refuse(path, data):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(site, "_write_file", refuse)
    one_line_failure(run("build", "--out", good, SAMPLE), str(good), words)
    assert files_of(good) == before


def _in_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script as root of a new user and mount namespace (or as root)."""
    unshare = shutil.which("unshare")
    require(unshare is not None, "unshare (util-linux) is not installed")
    prefix = [] if os.geteuid() == 0 else [unshare, "-rm"]
    if os.geteuid() == 0:
        prefix = [unshare, "-m"]
    done = subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path,
                          env={**os.environ, **ENV, "AICAL": str(AICAL)})
    require("mount:" not in done.stderr and "unshare:" not in done.stderr,
            f"cannot mount in a namespace here: {done.stderr.strip()}")
    return done


def test_a_mount_point_and_a_full_disk_are_one_line(tmp_path):
    """--out on a mount point (a container volume) used to fail with EBUSY as an internal
    error on every build; a full tmpfs used to be a traceback."""
    shutil.copy(SAMPLE, tmp_path / "r2.txt")
    (tmp_path / "vol").mkdir()
    script = (
        'mount -t tmpfs -o size=64k tmpfs vol || exit 99\n'
        '"$AICAL" build --out vol r2.txt 2>mount.err; echo $? > mount.rc\n'
        '"$AICAL" build --out vol/site r2.txt 2>full.err; echo $? > full.rc\n'
        'ls -A vol > vol.list\n'
    )
    done = _in_namespace(script, tmp_path)
    assert done.returncode == 0, done.stderr
    mount_err = (tmp_path / "mount.err").read_text().strip()
    assert (tmp_path / "mount.rc").read_text().strip() == "1"
    assert len(mount_err.splitlines()) == 1 and "mount point" in mount_err, mount_err
    assert "vol/site" in mount_err  # it says what to do instead
    full_err = (tmp_path / "full.err").read_text().strip()  # after the sample's warnings
    assert (tmp_path / "full.rc").read_text().strip() == "1"
    lines = full_err.splitlines()
    assert "disk is full" in lines[-1] and lines[-1].startswith("Error")
    assert all(line.startswith("r2.txt:") for line in lines[:-1]), lines  # warnings only
    assert "internal error" not in mount_err + full_err
    # the failed build left no half folder, only its (empty) work folder
    assert "site" not in (tmp_path / "vol.list").read_text().split()


# ------------------------------------------------------------------ file names in any bytes


def test_a_shift_jis_file_name_is_built_and_shown_in_japanese(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = "第１回報告.txt".encode("cp932")
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write(SAMPLE.read_bytes())
    result = run("build", "--out", tmp_path / "out", folder)
    assert result.exit_code == 0, result.output
    assert_handled(result)
    data = (tmp_path / "out" / "events.json").read_text(encoding="utf-8")
    assert "第１回報告.txt" in data
    # a missing file in undecodable bytes is named with its bytes escaped
    missing = os.fsdecode(os.path.join(os.fsencode(folder), b"\xff\x1b[31m.txt"))
    line = one_line_failure(run("lint", missing), "\\x1b")
    assert "\x1b" not in line


# ------------------------------------------------------------------ Ctrl-C and pipes


def test_ctrl_c_ends_quietly_with_130(tmp_path):
    """Once aical runs (its report open, or past start-up), Ctrl-C ends it with 130 and
    nothing on stderr. Before that, Python itself is starting, which is not aical's."""
    big = tmp_path / "big.txt"
    big.write_text(SAMPLE.read_text(encoding="utf-8") * 60, encoding="utf-8")
    process = subprocess.Popen([str(AICAL), "build", "--out", str(tmp_path / "out"), str(big)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, **ENV}, preexec_fn=interruptible)

    def running_aical() -> bool:
        # 0.6 s of CPU is past Python's own start-up (about 0.05 s) and aical's imports,
        # whatever the machine's load; the report open is a sure sign too
        try:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            if (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") >= 0.6:
                return True
            return any(os.readlink(f"/proc/{process.pid}/fd/{fd}") == str(big)
                       for fd in os.listdir(f"/proc/{process.pid}/fd"))
        except OSError:
            return False

    deadline = time.monotonic() + 60
    while not running_aical() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    require(process.returncode != 0, "the build finished before it could be interrupted")
    assert process.returncode == 130, (process.returncode, err)
    assert err == b"", err
    assert not (tmp_path / "out").exists()


def _session(leader: int) -> list[int]:
    """The processes of the session ``leader`` started (its forked workers included)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and fields[0] != "Z" and int(fields[3]) == leader:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("stop", ["ctrl_c", "kill"])
@pytest.mark.parametrize("names", [("a.txt", "b.txt"), ("lone.txt",)], ids=["two", "lone"])
def test_reading_in_workers_ends_with_the_build(tmp_path, stop, names):
    """Reports worth a second core are read in forked workers (aical.workers), a file
    each, or a lone report by the build with its outline made in a helper. Ctrl-C at a
    terminal reaches them all: the build still ends quietly with 130, and the workers with
    it; a killed build leaves no worker running."""
    from aical.reports import PARALLEL_MIN_BYTES, reading_workers, splits_extraction
    from aical.read.inputs import InputFile
    from aical.workers import cores

    if cores() < 2:
        pytest.skip("one core: reports are read in this process")
    text = SAMPLE.read_text(encoding="utf-8")
    files = []
    for name in names:
        path = tmp_path / name
        # each worth seconds of work, so that a worker left running would still be seen
        path.write_text(text * (4 * PARALLEL_MIN_BYTES // len(text.encode())), encoding="utf-8")
        files.append(path)
    inputs = [InputFile(f, f.name) for f in files]
    if len(files) == 1:
        assert reading_workers(inputs) == 0 and splits_extraction(inputs)
    else:
        assert reading_workers(inputs) == 2 and not splits_extraction(inputs)
    # output to a file, not a pipe: waiting for a pipe's end would wait for every worker
    err_file = tmp_path / "stderr"
    with err_file.open("wb") as err_out:
        process = subprocess.Popen(
            [str(AICAL), "build", "--out", str(tmp_path / "out"), *map(str, files)],
            stdout=subprocess.DEVNULL, stderr=err_out, env={**os.environ, **ENV},
            preexec_fn=interruptible, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_session(process.pid)) < 1 + len(files) and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.005)
    require(process.poll() is None, "the build finished before its workers were seen")
    if stop == "ctrl_c":
        os.killpg(process.pid, signal.SIGINT)  # what a terminal does
        process.wait(timeout=120)
        err = err_file.read_bytes()
        assert process.returncode == 130, (process.returncode, err)
        assert err == b"", err
    else:
        process.kill()
        process.wait(timeout=120)
    deadline = time.monotonic() + 2
    while _session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session(process.pid) == []
    assert not (tmp_path / "out").exists()


def test_ctrl_c_while_the_cli_starts_up_is_quiet_too(monkeypatch):
    import builtins

    import aical.__main__ as entry

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "aical.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 130
    monkeypatch.undo()
    # and click's own Ctrl-C while parsing options (Abort) is 130, not "Aborted!"
    from aical.cli import cli as group

    def abort(*args, **kwargs):
        import click
        raise click.Abort() from KeyboardInterrupt()

    monkeypatch.setattr("click.Group.main", abort)
    with pytest.raises(SystemExit) as done:
        group.main(["lint", "x"], prog_name="aical")
    assert done.value.code == 130


def test_a_closed_pipe_ends_quietly(tmp_path):
    many = tmp_path / "dates.txt"
    many.write_text("令和2年4月1日\n" * 8_000, encoding="utf-8")
    done = subprocess.run(f'"{AICAL}" dates "{many}" | head -1; echo "${{PIPESTATUS[0]}}" >&2',
                          shell=True, executable="/bin/bash", capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.startswith("1\t2020-04-01"), done.stdout
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() in {"0", "141"}, done.stderr


# ------------------------------------------------------------------ the publishing guard


def test_a_wrong_file_never_replaces_a_published_folder(tmp_path, good):
    before = files_of(good)
    wrong = tmp_path / "minutes.txt"
    wrong.write_text("議事録\n出席者 10名\n", encoding="utf-8")
    one_line_failure(run("build", "--out", good, wrong), "no meetings")
    one_line_failure(run("build", "--force", "--out", good, wrong), "no meetings")
    assert files_of(good) == before


def test_dropping_more_than_half_needs_force(tmp_path, good):
    before = files_of(good)
    few = report(tmp_path, meetings=3)
    line = one_line_failure(run("build", "--out", good, few), "--force", "drop")
    assert "84" in line
    assert files_of(good) == before
    forced = run("build", "--force", "--out", good, few)
    assert forced.exit_code == 0, forced.output
    manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["events"] == 3


def test_the_guard_compares_uids_and_bodies(tmp_path):
    from aical.model import Body, Event, Source, Span
    import datetime as dt

    previous = site.Published(frozenset(f"u{i}" for i in range(10)),
                              frozenset((f"b{i}",) for i in range(4)))
    span = Span(dt.date(2020, 5, 1), dt.date(2020, 5, 1), "day")

    def events(uids, body=("b0",)):
        return [Event(u, body, "第1回", span, source=Source("x", 1)) for u in uids]

    bodies = [Body((f"b{i}",)) for i in range(4)]
    assert site.guard_reasons(previous, events([f"u{i}" for i in range(5)]), bodies) == ([], [])
    never, forced = site.guard_reasons(previous, [], bodies)
    assert never and not forced
    _, forced = site.guard_reasons(previous, events(["u0", "u1", "x"]), bodies)
    assert forced and "8 of the 10" in forced[0]
    _, forced = site.guard_reasons(previous, events([f"u{i}" for i in range(10)]), bodies[:1])
    assert forced and "3 of the 4" in forced[0]
    assert site.guard_reasons(None, [], []) == ([], [])


# ------------------------------------------------------------------ bounded output


def test_output_grows_linearly_with_many_small_reports(tmp_path):
    """Every feed's description named every input: 4,000 small reports (0.9 MB) made
    418 MB. Doubling the reports must now about double the output (quadratic: 4×)."""
    from aical.publish.site import build_time, render_site
    from aical.reports import expand_inputs, read_inputs

    def output_size(count: int) -> tuple[int, int]:
        folder = tmp_path / f"in{count}"
        folder.mkdir()
        for i in range(count):
            (folder / f"report-{i:04d}.txt").write_text(
                f"令和2年度事業報告\n1 会議\n（1）第{i}委員会\n"
                f"・第1回委員会（令和2年{5 + i % 7}月{1 + i % 28}日、本庁舎）\n",
                encoding="utf-8")
        files = expand_inputs([folder])
        paths = [f.path for f in files]
        site = render_site(read_inputs(files), stamp=build_time())
        assert len(site.events) == count
        return sum(map(len, site.files.values())), sum(p.stat().st_size for p in paths)

    small, small_in = output_size(100)
    large, large_in = output_size(200)
    assert large < 2.3 * small, (small, large)
    # each body has a feed, a QR code and subscribe links on the page (~9 KB): constant
    # per body, so the output stays linear in the reports
    assert large < 120 * large_in, (large, large_in)
