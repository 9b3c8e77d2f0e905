"""Regenerate the README's screenshots from the sample: desktop, phone, and page 1 printed.

    .venv/bin/python tools/screenshots.py     (needs Debian's chromium and poppler-utils)

Builds samples/ with an example address (so the subscribe section is complete), opens the
page in chromium at 1400 px and 390 px, prints it to A4 landscape and renders page 1 with
pdftoppm. Writes docs/screenshot.png, docs/screenshot-phone.png, docs/print-year-table.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def main() -> None:
    from click.testing import CliRunner
    from playwright.sync_api import sync_playwright

    from aical.cli import cli

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        result = CliRunner().invoke(cli, ["build", "--out", str(out), "--base-url",
                                          "https://example.org/calendar",
                                          str(ROOT / "samples")],
                                    env={"SOURCE_DATE_EPOCH": "1617235200"})
        if result.exit_code != 0:
            sys.exit(result.output)
        page_url = (out / "index.html").as_uri()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(page_url)
            page.screenshot(path=str(DOCS / "screenshot.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844},
                                     device_scale_factor=2)
            phone.goto(page_url + "#month-2020-07")
            phone.screenshot(path=str(DOCS / "screenshot-phone.png"))
            page.emulate_media(media="print")
            pdf = Path(tmp) / "page.pdf"
            pdf.write_bytes(page.pdf(format="A4", landscape=True, print_background=True,
                                     prefer_css_page_size=True))
            browser.close()
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1",
                        "-singlefile", str(pdf), str(DOCS / "print-year-table")], check=True)


if __name__ == "__main__":
    main()
