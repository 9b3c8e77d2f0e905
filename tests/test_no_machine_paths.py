"""Nothing of the machine that built a calendar is published (issue 13): a build from a deep
folder of a user's home, in every input format the sample comes in here, names its sources
by the file's name alone. Every output file is searched, as bytes, for the folder's path and
for each of its parts that could identify the machine (the user name, the folder names)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import SAMPLE, files_of

PRIVATE_PARTS = ("home-of-tanaka", "デスクトップ", "会議資料2020")


def test_a_build_from_a_deep_folder_publishes_no_path_of_it(tmp_path):
    folder = tmp_path / "home-of-tanaka" / "デスクトップ" / "会議資料2020" / "報告書"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copy(SAMPLE.parent.parent / "tests" / "data" / "r2-jigyo-hokoku.pdf",
                folder / "r2-jigyo-hokoku-print.pdf")
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "aical", "build", "--out", str(out),
         "--base-url", "https://example.org/cal", str(folder)],
        capture_output=True, text=True, timeout=600,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1617235200", "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    built = files_of(out)
    assert {"all.ics", "events.json", "events.csv", "manifest.json", "index.html"} <= set(built)
    needles = [str(tmp_path), str(folder), *PRIVATE_PARTS]
    found = {name: [n for n in needles if n.encode("utf-8") in data]
             for name, data in built.items()}
    assert not {name: hits for name, hits in found.items() if hits}
    # and the sources are there, by name: the test would pass vacuously without them
    assert SAMPLE.name.encode("utf-8") in built["events.json"]
