"""The build at scale: the sample's 特定団体事業 part repeated 10× and 100×.

A prefecture has many councils and each has many years, so the build must stay linear.
Each copy of the part keeps its three projects, renamed with the copy number
(``(4) あいち共同利用型施設予約システム事業2``) so that bodies and UIDs stay distinct per
copy. Headings are numbered as a careful writer would: ``(N)`` runs on across copies, and a
new top-level section (``2 特定団体事業2``) starts before ``(N)`` would pass 50, the
largest number a report's heading is read with.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.build import build_command
from bench.common import FIXED_TIME, timed_build

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "r2-jigyo-hokoku.txt"
EXPECTED = SAMPLE.parent.parent / "tests" / "data" / "r2-jigyo-hokoku.expected.tsv"
PART_HEADING = "2 特定団体事業"
_PROJECT = re.compile(r"^\((\d{1,2})\)\s*(.*)$")
_MAX_NUMBER = 50


def repeated_report(copies: int, sample: Path = SAMPLE) -> str:
    """The sample's title, then its 特定団体事業 part ``copies`` times (see module doc)."""
    lines = sample.read_text(encoding="utf-8").splitlines()
    title = next(line for line in lines if "年度" in line and "事業報告" in line)
    start = next(i for i, line in enumerate(lines) if line.strip() == PART_HEADING)
    part = lines[start + 1:]
    projects = sum(1 for line in part if _PROJECT.match(line))
    per_section = _MAX_NUMBER // projects
    out = [title, ""]
    for copy in range(copies):
        section, within = divmod(copy, per_section)
        if within == 0:
            name = "特定団体事業" + (str(section + 1) if section else "")
            out += [f"{section + 1} {name}", ""]
        for line in part:
            found = _PROJECT.match(line)
            if found:
                line = f"({within * projects + int(found[1])}) {found[2]}{copy + 1}"
            out.append(line)
    return "\n".join(out) + "\n"


def expected_events(copies: int, sample: Path = SAMPLE) -> int:
    """Events of the part in the sample's own expected TSV (independent truth), × copies."""
    tsv = EXPECTED
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    header, rows = rows[0], rows[1:]
    lines = sample.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == PART_HEADING) + 1
    column = header.index("line")
    return copies * sum(1 for row in rows if int(row[column]) > start)


def check_output(out: Path, copies: int) -> int:
    """A scaled build is still right: as many events as the expected TSV gives the part
    times ``copies``, each body's feed holding exactly its events, all.ics every one, and
    the page listing every one."""
    from icalendar import Calendar

    events = json.loads((out / "events.json").read_text(encoding="utf-8"))["events"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["events"] == len(events)
    expected = expected_events(copies)
    assert len(events) == expected, f"{len(events)} events, expected {expected}"
    per_body: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for event in events:
        per_body[tuple(event["body"])].add(event["uid"])
    for body in manifest["bodies"]:
        feed = Calendar.from_ical((out / body["feed"]).read_bytes())
        uids = [str(c["UID"]) for c in feed.walk("VEVENT")]
        assert len(uids) == body["events"], body["feed"]
        assert set(uids) == per_body[tuple(body["path"])], body["feed"]
    uids = {str(c["UID"]) for c in Calendar.from_ical((out / "all.ics").read_bytes())
            .walk("VEVENT")}
    assert uids == {e["uid"] for e in events}, "all.ics and events.json differ"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    anchors = set(re.findall(r'id="(ev-[0-9a-f]+)"', page))
    assert len(anchors) == len(events), f"the page lists {len(anchors)} of {len(events)}"
    assert len(events) == sum(b["events"] for b in manifest["bodies"])
    return len(events)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def bench_scaling(copies: tuple[int, ...] = (10, 100), runs: int = 5) -> dict[str, float]:
    """Build time and peak memory of the repeated part; the 100×/10× time ratio."""
    results = {}
    env = {**os.environ, **FIXED_TIME}  # the same stamps, so the builds can be compared
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n in copies:
            folder = root / f"x{n}"
            folder.mkdir()
            (folder / "report.txt").write_text(repeated_report(n), encoding="utf-8")
        samples: dict[int, list[tuple[float, float]]] = {n: [] for n in copies}
        for _ in range(runs):  # interleaved, so drift hits every size alike
            for n in copies:
                wall, _, peak = timed_build(build_command(root / f"x{n}", root / f"o{n}"),
                                            env=env)
                samples[n].append((wall, peak))
        print(f"scaling: the 特定団体事業 part repeated (median of {runs}, interleaved)")
        for n in copies:
            out = root / f"o{n}"
            events = check_output(out, n)
            again = root / f"again{n}"  # another folder: no output may depend on the path
            subprocess.run(build_command(root / f"x{n}", again), check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert _tree(again) == _tree(out), f"the {n}× build is not deterministic"
            seconds = statistics.median(s for s, _ in samples[n])
            megabytes = max(m for _, m in samples[n])
            results[n] = seconds
            print(f"  {n:>4}×  {events:>6,} events  {seconds:>7.2f} s  {megabytes:>7.1f} MB")
    if len(copies) >= 2:
        low, high = copies[0], copies[-1]
        ratio = results[high] / results[low]
        print(f"  {high}×/{low}× time {ratio:>6.1f}x   (goal: <= {high // low * 1.2:.0f}x; "
              f"{high}× under 15 s and 500 MB)")
        return {"scaling_ratio": ratio, f"build_{high}x_seconds": results[high]}
    return {}


if __name__ == "__main__":  # python -m bench.scaling [COPIES]: write one input, for profiling
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    sys.stdout.write(repeated_report(count))
