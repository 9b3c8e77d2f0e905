"""The sample's build from each kind of PDF: a non-embedded CID font, an embedded TrueType
subset, a page printed by Debian's chromium (radical glyphs), and a scan read by OCR."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.build import aical_command, build_command

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT / "samples" / "r2-jigyo-hokoku.txt"


def _chromium_pdf(folder: Path) -> Path | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    page = folder / "sample.html"
    page.write_text('<!doctype html><html lang="ja"><meta charset="utf-8"><style>body { '
                    'font-family: "Noto Sans CJK JP", sans-serif; font-size: 10.5pt }</style>'
                    + "".join(f"<p>{html.escape(x)}</p>" for x in lines if x.strip()),
                    encoding="utf-8")
    out = folder / "chromium.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return out


def _scan_pdf(folder: Path) -> Path | None:
    from aical.read.ocr import tesseract

    if tesseract() is None:
        return None
    import pypdfium2

    document = pypdfium2.PdfDocument(DATA / "r2-jigyo-hokoku.pdf")
    images = [document[i].render(scale=200 / 72, grayscale=True).to_pil()
              for i in range(len(document))]
    out = folder / "scan.pdf"
    images[0].save(out, save_all=True, append_images=images[1:], resolution=200)
    return out


def _run(command: list[str]) -> tuple[float, str]:
    """Wall time and stdout of a command."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout


def bench_pdf(runs: int = 3) -> None:
    """Median wall time of ``aical build`` of the sample from each PDF kind, and the
    events it finds (84 expected)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kinds = {"cid (non-embedded)": DATA / "r2-jigyo-hokoku.pdf",
                 "truetype (embedded)": DATA / "reading-r2-embedded.pdf",
                 "chromium print": _chromium_pdf(folder),
                 "scan (OCR)": _scan_pdf(folder)}
        print(f"build of the sample from each PDF kind (median of {runs}; OCR once)")
        for kind, pdf in kinds.items():
            if pdf is None:
                print(f"  {kind:<20} skipped (tool not installed)")
                continue
            times = [_run(build_command(pdf, folder / "out"))[0]
                     for _ in range(1 if "OCR" in kind else runs)]
            _, out = _run([*aical_command(), "extract", "--json", str(pdf)])
            events = len(json.loads(out)["events"])
            times.sort()
            print(f"  {kind:<20} {times[len(times) // 2]:>6.2f} s  {events:>3} events  "
                  f"{pdf.stat().st_size / 1024:>6.0f} KB")
        sys.stdout.flush()
