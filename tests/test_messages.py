"""Every message exists in English and Japanese, and the CLI shows both (aical.messages)."""

from __future__ import annotations

import ast
import re

import pytest
from click.testing import CliRunner
from conftest import ROOT

from aical.cli import cli
from aical.messages import CATALOG, Message, language, msg, placeholders, render

SOURCES = sorted((ROOT / "aical").rglob("*.py"))
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _calls(name: str):
    """(file, call) for every call of ``name`` (a bare name or an attribute) in aical/."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else \
                    func.attr if isinstance(func, ast.Attribute) else None
                if called == name:
                    yield path.relative_to(ROOT), node


def test_every_message_is_in_both_languages_with_the_same_fields():
    for key, texts in CATALOG.items():
        assert len(texts) == 2, key
        en, ja = texts
        assert en.strip() and ja.strip(), key
        assert placeholders(en) == placeholders(ja), key
        # a Japanese text is Japanese, unless it is only punctuation around fields
        if re.sub(r"\{[^{}]*\}", "", ja).strip(" :：.、。()（）'\"/-「」"):
            assert JAPANESE.search(ja) or ja == en, key


def test_every_id_the_code_uses_is_in_the_catalog_and_every_entry_is_used():
    used = set()
    for path, call in _calls("msg"):
        assert call.args and isinstance(call.args[0], ast.Constant), \
            f"{path}:{call.lineno}: msg() takes a literal id so this test can check it"
        key = call.args[0].value
        assert key in CATALOG, f"{path}:{call.lineno}: {key!r} is not in aical.messages"
        given = {k.arg for k in call.keywords}
        if None not in given:  # **params: checked when rendered
            assert given == placeholders(CATALOG[key][0]), f"{path}:{call.lineno}: {key}"
        used.add(key)
    # click.* entries translate click's own text; they are matched, not called
    unused = sorted(k for k in CATALOG if k not in used and not k.startswith("click."))
    assert unused == [], "remove these from the catalog or use them"


_MESSAGE_ARGS = {"Warning": (1, "message"), "InputError": (1, "message"),
                 "DateError": (1, "message"), "warn": (2, "message")}


@pytest.mark.parametrize("name", sorted(_MESSAGE_ARGS))
def test_messages_people_read_go_through_the_catalog(name):
    """A Warning's, InputError's or DateError's message (and hint) is never a sentence
    written in place: a literal or an f-string there would be English only."""
    index, keyword = _MESSAGE_ARGS[name]
    bad = []
    for path, call in _calls(name):
        args = [call.args[index]] if len(call.args) > index else []
        args += [k.value for k in call.keywords if k.arg in (keyword, "hint")]
        if len(call.args) > 3 and name == "InputError":
            args.append(call.args[3])
        for arg in args:
            if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value):
                bad.append(f"{path}:{call.lineno}")
    assert bad == [], "use aical.messages.msg(...) for these messages"


def test_a_message_is_its_english_text_and_renders_in_japanese():
    m = msg("cli.lint_summary", files=1, events=84, warnings=3)
    assert isinstance(m, Message) and isinstance(m, str)
    assert m == "1 file(s), 84 event(s), 3 warning(s)"
    assert render(m, "ja") == "ファイル 1 件、行事 84 件、警告 3 件"
    assert render("plain text", "ja") == "plain text"
    nested = msg("cli.warning", code="x", message=msg("cli.no_fiscal_year"))
    assert render(nested, "ja") == "警告: x: 年度なし"
    with pytest.raises(KeyError):
        msg("no.such.message")


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "ja_JP.eucJP", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),      # LC_ALL overrides LANG
    ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "C"}, "ja"),
    ({"LC_ALL": "", "LANG": "ja"}, "ja"),                 # an empty variable is unset
    ({}, "en"),
])
def test_language_follows_the_locale(env, expected):
    assert language(environ=env) == expected


def test_lang_option_wins_over_the_locale():
    assert language("en", {"LANG": "ja_JP.UTF-8"}) == "en"
    assert language("ja", {"LANG": "C"}) == "ja"


SAMPLE = str(ROOT / "samples")


def _lint(*args, env=None):
    return CliRunner().invoke(cli, ["lint", *args], env=env or {"LANG": "C", "LC_ALL": None})


def test_lint_speaks_japanese_in_a_japanese_locale_and_keeps_the_codes():
    english = _lint(SAMPLE, env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"})
    japanese = _lint(SAMPLE, env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "ja_JP.UTF-8"})
    chosen = _lint("--lang", "ja", SAMPLE)
    assert japanese.output == chosen.output
    codes = [re.split(r": ", line)[1] for line in english.stdout.splitlines()]
    assert [re.split(r": ", line)[1] for line in japanese.stdout.splitlines()] == codes
    assert "lies outside" in english.stdout and "の外です" in japanese.stdout
    assert "warning(s)" in english.stderr and "警告" in japanese.stderr


def test_errors_and_usage_errors_speak_both_languages():
    from aical.cli import main

    def run(args, lang):
        import subprocess
        import sys
        env = {"PATH": "/usr/bin:/bin", "LANG": lang}
        return subprocess.run([sys.executable, "-m", "aical.cli", *args], capture_output=True,
                              text=True, env=env, cwd=ROOT)

    assert main  # the console script is the same function
    missing = run(["lint", "no-such-file.txt"], "ja_JP.UTF-8")
    assert missing.returncode == 1
    assert "エラー: no-such-file.txt: ファイルがありません" in missing.stderr
    assert "no such file" in run(["lint", "no-such-file.txt"], "C").stderr
    usage = run(["lint", "--bogus"], "ja_JP.UTF-8")
    assert usage.returncode == 2
    assert "使い方: aical lint" in usage.stderr and "そのようなオプションはありません" in usage.stderr
    assert "No such option" in run(["lint", "--bogus"], "C").stderr
    choice = run(["build", "--week-start", "x"], "ja_JP.UTF-8")
    assert "の値が正しくありません" in choice.stderr and choice.returncode == 2
