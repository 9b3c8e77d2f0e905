"""Settings (aical/config.py): where aical.toml is found, how it is read, what it may say."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT

from aical.cli import cli
from aical.config import find_config, load_config, parse_config
from aical.errors import InputError

SAMPLE = ROOT / "samples" / "r2-jigyo-hokoku.txt"
CALS = "あいち電子調達共同システム（CALS/EC）事業"
ENV = {"LANG": "C", "LC_ALL": None, "LC_MESSAGES": None}


def _run(args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, args, env=ENV)
    with runner.isolated_filesystem(temp_dir=cwd):
        pass
    import os
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, args, env=ENV)
    finally:
        os.chdir(old)


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


def test_found_beside_the_inputs_then_in_the_current_folder_then_given(tmp_path, reports):
    assert find_config([reports], cwd=tmp_path) is None
    (tmp_path / "aical.toml").write_text('title = "cwd"\n', encoding="utf-8")
    assert find_config([reports], cwd=tmp_path) == tmp_path / "aical.toml"
    (reports / "aical.toml").write_text('title = "beside"\n', encoding="utf-8")
    assert find_config([reports / SAMPLE.name], cwd=tmp_path) == reports / "aical.toml"
    other = tmp_path / "other.toml"
    other.write_text('title = "given"\n', encoding="utf-8")
    assert find_config([reports], other, cwd=tmp_path) == other
    with pytest.raises(InputError, match="no such settings file"):
        find_config([reports], tmp_path / "missing.toml")


def test_a_bom_and_shift_jis_are_read(tmp_path):
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + 'title = "会議予定"\n'.encode("utf-8"))
    assert load_config(bom).title == "会議予定"
    sjis = tmp_path / "sjis.toml"
    sjis.write_bytes('title = "会議予定"\norganisation = "協議会"\n'.encode("cp932"))
    config = load_config(sjis)
    assert (config.title, config.organisation) == ("会議予定", "協議会")


def test_an_unknown_key_is_a_warning_naming_the_nearest_known_one():
    config = parse_config('titel = "x"\n[[bodies]]\npath = ["a"]\ncolour = "#000000"\n'
                          'zzz = 1\n', "aical.toml")
    found = [(w.code, w.line, str(w.message)) for w in config.warnings]
    assert ("unknown_setting", 1, "unknown setting titel, ignored; did you mean title?") in found
    assert any(line == 4 and "bodies.colour" in text and "bodies.color?" in text
               for _, line, text in found)
    assert any(line == 5 and "zzz" in text and "known:" in text for _, line, text in found)


def test_a_body_is_named_by_its_path_so_a_slash_in_a_name_is_fine(tmp_path, reports):
    (reports / "aical.toml").write_text(
        f'[[bodies]]\npath = ["特定団体事業", "{CALS}", "事業部会"]\n'
        'short_name = "CALS事業部会"\nslug = "cals-jigyo"\ncolor = "#123456"\n',
        encoding="utf-8")
    out = tmp_path / "site"
    result = _run(["build", str(reports), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    body = next(b for b in manifest["bodies"] if b["path"] == ["特定団体事業", CALS, "事業部会"])
    assert body["slug"] == "cals-jigyo"
    assert (out / "bodies" / "cals-jigyo.ics").is_file()


def test_an_unknown_body_is_a_warning_naming_the_nearest(reports):
    (reports / "aical.toml").write_text(
        f'[[bodies]]\npath = ["{CALS}", "事業部会"]\nslug = "x"\n', encoding="utf-8")
    result = _run(["lint", str(reports)])
    assert "aical.toml:2: unknown_body:" in result.stdout
    assert f'did you mean ["特定団体事業", "{CALS}", "事業部会"]' in result.stdout


@pytest.mark.parametrize("text", ['bodies = 3\n', 'bodies = ["総会"]\n',
                                  '[bodies]\n"総会" = "x"\n', '[[bodies]]\nshort_name = "x"\n'])
def test_bad_bodies_are_a_clear_message_not_an_internal_error(reports, text):
    (reports / "aical.toml").write_text(text, encoding="utf-8")
    result = _run(["lint", str(reports)])
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "aical.toml" in result.output and "bodies" in result.output
    assert "Traceback" not in result.output


def test_aical_config_shows_each_setting_and_where_it_came_from(reports):
    (reports / "aical.toml").write_text(
        '# settings\ntitle = "会議予定"\n\nbase_url = "https://example.org/cal"\n',
        encoding="utf-8")
    result = _run(["config", str(reports)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"# settings from {reports / 'aical.toml'}"
    assert f'title = "会議予定"  # {reports / "aical.toml"}:2' in lines
    assert f'base_url = "https://example.org/cal"  # {reports / "aical.toml"}:4' in lines
    assert 'organisation = ""  # default' in lines
    empty = _run(["config", str(reports.parent / "nowhere")])
    assert "no aical.toml" in empty.stdout


ACCEPT = ('[[accept]]\ncode = "out_of_fiscal_year"\ntext = "令和2年3月3日～8日"\n\n'
          '[[accept]]\ncode = "heading_out_of_sequence"\nfile = "r2-jigyo-hokoku.txt"\n'
          'line = {line}\n')


def test_accepted_warnings_let_lint_pass_and_are_counted(reports):
    before = _run(["lint", str(reports)])
    assert before.exit_code == 1
    shown = before.stdout.splitlines()
    (reports / "aical.toml").write_text(ACCEPT.format(line=144), encoding="utf-8")
    after = _run(["lint", str(reports)])
    remaining = [line for line in shown
                 if "out_of_fiscal_year" not in line and "heading_out_of_sequence" not in line]
    assert after.stdout.splitlines() == remaining
    assert f"2 accepted in {reports / 'aical.toml'}" in after.stderr
    if not remaining:
        assert after.exit_code == 0


def test_a_warning_accepted_by_its_text_stays_accepted_when_lines_move(reports):
    report = reports / SAMPLE.name
    report.write_text("\n\n\n" + SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (reports / "aical.toml").write_text(ACCEPT.format(line=144), encoding="utf-8")
    result = _run(["lint", str(reports)])
    # accepted by text: still accepted three lines down; by place: shown again
    assert "out_of_fiscal_year" not in result.stdout
    assert f"{SAMPLE.name}:147: heading_out_of_sequence" in result.stdout
    assert "1 accepted" in result.stderr
