"""The commands as a user runs them (click's CliRunner), per DESIGN.md's contracts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from aical.cli import cli
from conftest import SAMPLE


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_parse_plain():
    result = run("parse", "令和2年12月28日～令和3年1月8日")
    assert result.exit_code == 0
    assert result.output == "2020-12-28/2021-01-08\n"
    assert run("parse", "令和2年12月28日").output == "2020-12-28\n"


def test_parse_json():
    result = run("parse", "--json", "令和2年8月～11月")
    assert json.loads(result.output) == {"first_day": "2020-08-01", "last_day": "2020-11-30",
                                         "precision": "month"}


def test_parse_json_error_exit_1():
    result = run("parse", "--json", "--strict", "平成32年1月1日")
    assert result.exit_code == 1
    assert json.loads(result.output)["error"]["code"] == "after_era_end"


def test_parse_error_is_one_line_not_a_traceback():
    result = run("parse", "令和3年2月29日")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "internal error" not in result.output
    assert "2021-02 has no day 29" in result.output


def test_parse_lenient_warns_on_stderr():
    result = run("parse", "平成32年1月1日")
    assert result.exit_code == 0
    assert result.stdout == "2020-01-01\n"
    assert "after_era_end" in result.stderr


def test_usage_error_exit_2():
    assert run("parse").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_dates_json_lists_every_expression():
    result = run("dates", "--json", str(SAMPLE))
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {"line", "text", "first_day", "last_day", "precision"} <= set(found[0])
    assert any(d["line"] == 174 and d["first_day"] == "2020-10-05" and d["last_day"] == "2020-10-09"
               for d in found)


def test_dates_on_a_missing_file_names_it():
    result = run("dates", "no/such/file.txt")
    assert result.exit_code in (1, 2)
    assert "no/such/file.txt" in result.output


def test_a_bug_is_one_line_unless_debugging(monkeypatch):
    import aical.dates.spans

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(aical.dates.spans, "parse_with_notes", broken)
    result = run("parse", "令和2年12月28日")
    assert result.exit_code == 1
    assert "internal error (KeyError" in result.output and "AICAL_DEBUG=1" in result.output
    monkeypatch.setenv("AICAL_DEBUG", "1")
    assert isinstance(run("parse", "令和2年12月28日").exception, KeyError)


def test_a_build_pauses_the_garbage_collector_and_leaves_it_as_it_was(tmp_path):
    """The build runs without the cyclic collector (it rescanned a big report's events,
    15 % of the time); a library caller's setting is what it was afterwards, even when
    the build fails."""
    import gc

    assert gc.isenabled()
    ok = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), str(SAMPLE)])
    assert ok.exit_code == 0, ok.output
    assert gc.isenabled()
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01" * 100)
    failed = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "o2"),
                                      str(tmp_path / "bad.txt")])
    assert failed.exit_code == 1
    assert gc.isenabled()
    gc.disable()
    try:
        CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), str(SAMPLE)])
        assert not gc.isenabled()
    finally:
        gc.enable()
