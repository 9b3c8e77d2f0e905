"""The README's commands, run in order as a newcomer would: in a fresh clone of this
repository, then in a separate folder of one's own reports.

Slow (a clone, `make run`'s install step): marked ``slow``. The clone's environment reuses
this one's installed packages (a .pth line), so `make run`'s pip only installs aical itself;
`make test` is not run here (it is this suite; CI runs it).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _blocks(text: str, lang: str = "sh") -> list[list[str]]:
    """The command lines of each fenced block of ``lang`` (comments and blank lines out)."""
    out = []
    for block in re.findall(rf"```{lang}\n(.*?)```", text, re.S):
        lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
        out.append([line for line in lines if line and not line.startswith("#")])
    return out


def _expected_status(line: str, text: str) -> int:
    """1 where the README says the command exits with status 1, else 0."""
    for raw in text.splitlines():
        if raw.strip().startswith(line) and "exit status 1" in raw:
            return 1
    return 0


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Shell:
    """Runs README lines one by one as bash would, keeping cd and activation between them."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.cwd, self.env = cwd, env

    def run(self, line: str, timeout: float = 600) -> subprocess.CompletedProcess:
        words = shlex.split(line)
        if words[0] == "cd":
            self.cwd = Path(os.path.expanduser(words[1].replace("~", self.env["HOME"], 1)))
            assert self.cwd.is_dir(), line
            return subprocess.CompletedProcess(words, 0, "", "")
        if words[0] in (".", "source"):  # activation: what the script sets, kept
            script = f". {shlex.quote(words[1])} && env -0"
            done = subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env,
                                  capture_output=True, check=True)
            self.env = dict(item.split("=", 1) for item in
                            done.stdout.decode().split("\0") if "=" in item)
            return subprocess.CompletedProcess(words, 0, "", "")
        return subprocess.run(["bash", "-c", line], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and this repository's history")
    where = tmp_path_factory.mktemp("newcomer") / "aical"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(where)], check=True)
    # Reuse this environment's packages: a venv whose site-packages points at ours, so
    # `make run`'s pip finds every dependency installed and only builds aical.
    subprocess.run([sys.executable, "-m", "venv", str(where / ".venv")], check=True)
    ours = sysconfig.get_paths()["purelib"]
    site = subprocess.run([str(where / ".venv" / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "_reuse_test_env.pth").write_text(ours + "\n", encoding="utf-8")
    return where


def _env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if k in ("PATH", "PIP_CACHE_DIR", "TMPDIR", "SOURCE_DATE_EPOCH")}
    path = ":".join(p for p in keep.get("PATH", "/usr/bin:/bin").split(":")
                    if "/.venv/" not in p + "/")  # not this environment's aical
    return {**keep, "PATH": path, "HOME": str(home), "LANG": "C.UTF-8",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "XDG_CACHE_HOME": os.environ.get(
                "XDG_CACHE_HOME", str(Path.home() / ".cache"))}


def test_the_readme_commands_work_in_a_fresh_clone_and_in_ones_own_folder(clone, tmp_path):
    home = tmp_path / "home"
    reports = home / "reports"
    reports.mkdir(parents=True)
    # one's own files: the sample as a Windows editor saves it, under another name
    text = (ROOT / "samples" / "r2-jigyo-hokoku.txt").read_text(encoding="utf-8")
    (reports / "令和2年度事業報告.txt").write_bytes(text.encode("cp932"))
    shell = Shell(clone, _env(home))

    # Quick start: make run (make test is this suite itself)
    quick = _blocks(_section("Quick start"))[0]
    assert [line.split()[:2] for line in quick] == [["make", "run"], ["make", "test"]]
    done = shell.run("make run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Built build/" in done.stdout
    noise = [line for line in done.stdout.splitlines() + done.stderr.splitlines()
             if re.search(r"(?i)deprecat|setuptools|requirement already|\bpip\b|wheel|"
                          r"egg.info|!!", line)]
    assert noise == [], "make run prints pip's noise"
    assert len(done.stdout.splitlines()) <= 8, done.stdout
    assert (clone / "build" / "index.html").is_file()

    # Running aical: by path, activated, (as a tool: only where pipx or uv is installed)
    running = _blocks(_section("Running aical"))
    for line in running[0]:
        done = shell.run(line)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        if "--version" in line:
            assert "aical" in done.stdout or "version" in done.stdout, line
    assert shell.run("command -v aical").stdout.strip() == str(clone / ".venv/bin/aical")
    tool = running[1][0].split()[0]
    if shutil.which(tool) is None:
        pass  # pipx/uv are not installed here; the activated command stands for them

    # From a report to a subscribed calendar: the sample, in the clone …
    usage = _section("From a report to a subscribed calendar")
    sample, own = _blocks(usage)[:2]
    for line in sample:
        done = shell.run(line)
        assert done.returncode == _expected_status(line, usage), (line, done.stderr)
    lint = shell.run(sample[0])
    assert len(lint.stdout.splitlines()) == 3  # the sample's three known slips

    # … and one's own folder, with no settings, then with the README's aical.toml
    for line in own:
        if line.startswith("aical serve"):
            _check_serve(shell, line)
            continue
        done = shell.run(line)
        assert done.returncode == _expected_status(line, usage), (line, done.stderr)
    assert shell.cwd == reports
    assert (reports / "build" / "index.html").is_file()
    assert "base_url" in shell.run("aical config").stdout

    settings = _blocks(usage, "toml")[0]
    toml = re.findall(r"```toml\n(.*?)```", usage, re.S)[0]
    assert settings
    (reports / "aical.toml").write_text(toml, encoding="utf-8")
    done = shell.run("aical lint .")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 accepted" in done.stderr
    shown = shell.run("aical config").stdout
    assert 'title = "あいち電子自治体推進協議会 会議予定"  # ' in shown
    done = shell.run("aical build --year R2")
    assert done.returncode == 0, done.stderr
    assert "unknown_body" not in done.stderr  # the README's body paths exist in the sample
    assert (reports / "build" / "bodies" / "kanjikai.ics").is_file()
    # in Japanese, as the locale says
    shell.env["LANG"] = "ja_JP.UTF-8"
    assert "了承済み 3 件" in shell.run("aical lint .").stderr


def _check_serve(shell: Shell, line: str) -> None:
    """`aical serve build` serves until Ctrl-C: start it, fetch the page, stop it."""
    if not _free(8000):
        done = shell.run(line, timeout=30)
        assert done.returncode == 1 and "cannot listen" in done.stderr
        return
    server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=shell.cwd, env=shell.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen("http://127.0.0.1:8000/index.html",
                                            timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("aical serve build did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)
