"""The HTML meeting pack in a real browser: Debian's headless Chromium renders it, the test reads the rendered DOM
(``--dump-dom``) and compares the table cells with ``status --json``, and takes screenshots (desktop and phone
width) into the test's temporary folder.

Without Chromium the test is skipped with the reason; in CI (``CI`` set) it fails instead, since ``.ci/run``
installs it (``apt-get install chromium``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from report_readers import amount, html_tables

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars"]
PARTNERS = ("esbjerg", "fanoe", "vejen", "billund", "varde", "region-syddanmark")


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium): the HTML is not checked in a browser")


def browse(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    # stderr is full of harmless D-Bus complaints in a container: only the exit code and the output count.
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def page(cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "mødemappe.html"
    result = cli("report", "Sydvestjylland", "--as-of", "2024-03-01", "--format", "html", "--output", str(target))
    assert result.code == 0, result.text
    return target


def test_chromium_renders_the_tables_status_json_gives(cli, page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = browse(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-2000:]
    dom = html_tables(done.stdout)
    status = json.loads(cli("status", "Sydvestjylland", "--as-of", "2024-03-01", "--json").out)
    partners = {p["id"]: p for p in status["partners"]}

    funds = {row[0]: [amount(c) for c in row[1:]] for row in dom.tables["Udmøntede klyngemidler"][1:]}
    for grant in status["grants"]:
        assert funds[grant["name"]] == [Decimal(grant["shares"][p]) for p in PARTNERS] + [Decimal(grant["granted"])]
    assert funds["Udmøntet i alt"] == [Decimal(partners[p]["disbursed"]) for p in PARTNERS] + [Decimal(status["totals"]["disbursed"])]
    assert funds["Resterende midler"] == [Decimal(partners[p]["remaining"]) for p in PARTNERS] + \
        [Decimal(status["totals"]["remaining"])]
    assert funds["Nærhospitaler (sat på pause)"] == [None] * 7

    by_partner = {row[0]: [amount(c) for c in row[1:]] for row in dom.tables["Klyngemidler pr. part"][1:]}
    for p in PARTNERS:
        assert by_partner[partners[p]["name"]] == [Decimal(partners[p][k]) for k in ("allocated", "disbursed", "remaining")]
    assert sum(1 for tag, _ in dom.tags if tag == "rect") == 3 + 3 * len(PARTNERS)
    assert any("231.631,55" in item and "231.631,54" in item for item in dom.items)  # Vejen's øre, explained


@pytest.mark.parametrize("name, size", [("desktop", "1280,2400"), ("phone", "390,2400")])
def test_chromium_screenshots(page: Path, tmp_path: Path, name: str, size: str) -> None:
    shot = tmp_path / f"report-{name}.png"
    done = browse(tmp_path, f"--screenshot={shot}", f"--window-size={size}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a rendered page, not a blank one
