"""The sample's build from each format aical reads: the text as committed, and the same
report made from it the way the tests make it (tests/formats.py: a Shift_JIS web page, a
Word file, a Markdown page, an Excel sheet and a TAB-separated sheet of its 84 meetings,
the committed PDF, and a 300 dpi scan of that PDF read by OCR when Tesseract is there).

Per format: the median wall time of ``aical build`` (OCR: one run), the events found, how
many of them are on the expected days and how many are exactly the expected events (body,
days, precision, mode, venue), and the file's size; the text build's time is the base the
others are compared with.
"""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.build import aical_command, build_command

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
DATA = TESTS / "data"
SAMPLE = ROOT / "samples" / "r2-jigyo-hokoku.txt"


def _makers():
    """The tests' makers of the sample in each format (one code path for tests and bench)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import formats
    import test_pipeline

    return formats, test_pipeline


def _files(folder: Path, rows: list[dict]) -> dict[str, Path | None]:
    formats, _ = _makers()
    out: dict[str, Path | None] = {"text": SAMPLE}
    md = folder / "sample.md"
    md.write_text(formats.sample_markdown(), encoding="utf-8")
    out["markdown"] = md
    page = folder / "sample.html"
    page.write_bytes(formats.sample_html().encode("cp932"))
    out["html (Shift_JIS)"] = page
    docx = folder / "sample.docx"
    formats.sample_docx(docx)
    out["docx"] = docx
    xlsx = folder / "meetings.xlsx"
    formats.sample_xlsx(xlsx, rows)
    out["xlsx (84 rows)"] = xlsx
    tsv = folder / "meetings.tsv"
    tsv.write_text(formats.sample_tsv(rows), encoding="utf-8")
    out["tsv (84 rows)"] = tsv
    out["pdf"] = DATA / "r2-jigyo-hokoku.pdf"
    from aical.read.ocr import tesseract

    out["scan (OCR, 300 dpi)"] = (formats.sample_scan(DATA / "r2-jigyo-hokoku.pdf",
                                                      folder / "scan.pdf")
                                  if tesseract() is not None else None)
    return out


def _build_seconds(source: Path, out: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(build_command(source, out), check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_formats(runs: int = 3) -> dict[str, float]:
    """Print the table; return the build seconds per format."""
    _, pipeline = _makers()
    with open(DATA / "r2-jigyo-hokoku.expected.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    want_days = Counter((r["first"], r["last"]) for r in rows)
    want = Counter(pipeline.expected(rows))
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"build of the sample from each format (median of {runs}; OCR once; "
              f"{len(rows)} events expected)")
        print(f"  {'format':<21} {'build':>7} {'× text':>7} {'events':>6} {'days ok':>7} "
              f"{'exact':>5} {'size':>8}")
        for kind, source in _files(folder, rows).items():
            if source is None:
                print(f"  {kind:<21} skipped (tesseract with jpn data is not installed)")
                continue
            seconds[kind] = _build_seconds(source, folder / "out",
                                           1 if "OCR" in kind else runs)
            result = subprocess.run([*aical_command(), "extract", "--json", str(source)],
                                    check=True, capture_output=True, text=True)
            events = json.loads(result.stdout)["events"]
            days = Counter((e["first_day"], e["last_day"]) for e in events)
            exact = Counter(pipeline.essentials(e) for e in events) & want
            print(f"  {kind:<21} {seconds[kind]:>6.2f}s {seconds[kind] / seconds['text']:>6.1f}x "
                  f"{len(events):>6} {sum((days & want_days).values()):>7} "
                  f"{sum(exact.values()):>5} {source.stat().st_size / 1024:>6.0f} KB")
        sys.stdout.flush()
    return seconds
