"""README, --help and the code tell the same story (the habit sqlite-utils keeps)."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import cli_reference  # noqa: E402

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_reference_matches_help():
    assert cli_reference.updated(README) == README, "run `make docs`"


def test_every_command_has_help_and_is_documented():
    from aical.cli import cli

    for name, command in cli.commands.items():
        assert command.help and command.short_help, name
        assert f"### `aical {name}`" in README, name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts}"


def test_quick_start_is_make_run_and_make_test():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make (\w+)", quick, re.M) == ["run", "test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_architecture_names_every_module():
    modules = {p.relative_to(ROOT / "aical").as_posix() for p in (ROOT / "aical").rglob("*.py")
               if p.stem != "__init__"}
    section = README.split("## Architecture", 1)[1]
    missing = sorted(m for m in modules if f"`{m}`" not in section)
    assert missing == [], "describe these modules in README's architecture section"
