#!/usr/bin/env python3
"""Write the README's pictures of the meeting pack: docs/report-pdf.png (page 1), docs/report-pdf-funds.png (the
funds table's landscape page) and docs/report-html.png (the HTML in headless Chromium, at desktop width).

Needs pdftoppm (Debian: poppler-utils) and chromium; run from the repository:

    .venv/bin/python docs/make_report_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ARGS = ["Sydvestjylland", "--as-of", "2024-03-01", "--since", "2023-12-01"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="klyngefond-images-"))
    try:
        pdf, html = work / "pack.pdf", work / "pack.html"
        run(sys.executable, "-m", "klyngefond", "report", *ARGS, "--format", "pdf", "--output", str(pdf))
        run(sys.executable, "-m", "klyngefond", "report", *ARGS, "--format", "html", "--output", str(html))
        for page, name in ((1, "report-pdf"), (2, "report-pdf-funds")):
            run("pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(DOCS / name))
        profile = work / "profile"
        run("chromium", *FLAGS, f"--user-data-dir={profile}", f"--screenshot={DOCS / 'report-html.png'}",
            "--window-size=1280,1500", html.as_uri())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in ("report-pdf.png", "report-pdf-funds.png", "report-html.png"):
        print(DOCS / name, (DOCS / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
