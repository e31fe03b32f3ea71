"""`klyngefond export`: the journal as an hledger or beancount file that the tools accept and that
gives, in `hledger balance`, the very balances `status` reports."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from recorded_changes import record_history

from klyngefond.journal.model import FUNDS, STATE
from klyngefond.render.export_view import beancount_account, hledger_account

UTF8 = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}  # hledger reads UTF-8 only under a UTF-8 locale


def need(tool: str) -> str:
    """The tool's path; a skip (with the reason) when it is missing, a failure in CI, which installs it."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed; .ci/run installs it")
        pytest.skip(f"{tool} is not installed (apt-get install {tool})")
    return path


def hledger(*args: str) -> str:
    result = subprocess.run([need("hledger"), *args], capture_output=True, text=True, env=UTF8, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def balances(journal: Path, query: str, *extra: str) -> dict[str, Decimal]:
    """``hledger balance QUERY`` per account, as exact amounts."""
    out = hledger("-f", str(journal), "balance", query, "--flat", "-E", "-N", "-O", "csv", *extra)
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return {account: Decimal(amount.replace("DKK", "").strip() or "0") for account, amount in rows}


def exported(cli, cluster: str, fmt: str, tmp_path: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / f"{cluster}.{fmt}"
    result = cli("export", cluster, "--format", fmt, "--output", str(target), *extra)
    assert result.code == 0, result.text
    return target


def status(cli, cluster: str, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("status", cluster, "--json", *extra)
    assert result.code == 0, result.text
    return json.loads(result.out)


def assert_same_balances(cli, cluster: str, tmp_path: Path, *data: str) -> None:  # type: ignore[no-untyped-def]
    journal = exported(cli, cluster, "hledger", tmp_path, *data)
    hledger("-f", str(journal), "check")
    hledger("-f", str(journal), "check", "-s")  # strict: every account and commodity declared
    # All years: each holder's remaining is the sum of its funds accounts, as hledger sums them.
    overall = status(cli, cluster, *data)
    per_holder = balances(journal, "^funds:", "--depth", "2")
    expected = {f"funds:{p['id']}": Decimal(p["remaining"]) for p in overall["partners"]}
    if overall["unattributed"]:
        expected["funds:unattributed"] = Decimal(overall["unattributed"]["remaining"])
    assert {a: v for a, v in per_holder.items() if v} == {a: v for a, v in expected.items() if v}
    assert sum(per_holder.values()) == Decimal(overall["totals"]["remaining"])
    # Each budget period: each holder's closing is its funds account for that period.
    per_period = balances(journal, "^funds:")
    periods = sorted({account.split(":")[2] for account in per_period})
    assert periods
    for period in periods:
        view = status(cli, cluster, "--year", period, *data)
        assert view["period"] == period
        expected = {f"funds:{p['id']}:{period}": Decimal(p["closing"]) for p in view["partners"]}
        if view["unattributed"]:
            expected[f"funds:unattributed:{period}"] = Decimal(view["unattributed"]["closing"])
        found = {a: v for a, v in per_period.items() if a.endswith(f":{period}")}
        assert {a: v for a, v in found.items() if v} == {a: v for a, v in expected.items() if v}, period
    # The state paid out exactly what the partners received.
    assert -sum(balances(journal, "^state:").values()) == Decimal(overall["totals"]["allocated"])


@pytest.mark.parametrize("cluster", ["Sydvestjylland", "Nykøbing Falster"])
def test_hledger_balance_equals_status_for_the_shipped_clusters(cli, tmp_path: Path, cluster: str) -> None:  # type: ignore[no-untyped-def]
    assert_same_balances(cli, cluster, tmp_path)


def test_hledger_balance_equals_status_after_changes_annulment_carryover_and_invoices(cli, fixture_copy: Path,  # type: ignore[no-untyped-def]
                                                                                      tmp_path: Path) -> None:
    record_history(fixture_copy / "vesterhavet")
    data = ("--data", str(fixture_copy))
    assert_same_balances(cli, "vesterhavet", tmp_path, *data)
    journal = tmp_path / "vesterhavet.hledger"
    # Invoices: what each partner owes as payer and is owed as issuer, as status --json reports it.
    invoices = status(cli, "vesterhavet", *data)["invoices"]
    payable = balances(journal, "^payable:", "--depth", "2")
    receivable = balances(journal, "^receivable:", "--depth", "2")
    for row in invoices:
        owes = Decimal(row["outstanding"]) - Decimal(row["to_be_refunded"])
        assert -payable.get(f"payable:{row['partner']}", Decimal(0)) == owes
        owed = Decimal(row["receivable"]) - Decimal(row["to_refund"])
        assert receivable.get(f"receivable:{row['partner']}", Decimal(0)) == owed
    # Each grant's committed total is its amount as status shows it.
    grants = {g["id"]: Decimal(g["granted"]) for g in status(cli, "vesterhavet", *data)["grants"]}
    committed = balances(journal, "^committed:", "--depth", "2")
    assert {a: v for a, v in committed.items() if v} == {f"committed:{g}": v for g, v in grants.items() if v}


def test_one_transaction_per_journal_transaction_with_description_and_reference(cli, fixture_copy: Path,  # type: ignore[no-untyped-def]
                                                                                 tmp_path: Path) -> None:
    from klyngefond.journal.build import build_journal
    from klyngefond.storage.loader import load_ledger

    record_history(fixture_copy / "vesterhavet")
    ledger, _ = load_ledger(fixture_copy / "vesterhavet")
    journal = build_journal(ledger)  # type: ignore[arg-type]
    path = exported(cli, "vesterhavet", "hledger", tmp_path, "--data", str(fixture_copy))
    out = hledger("-f", str(path), "print", "-O", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len({r["txnidx"] for r in rows}) == len(journal.transactions)
    text = path.read_text("utf-8")
    assert "2023-09-01 * Tillægsbevilling: Fælles sundhedsteam  ; ref:changes/2023-09-01-sundhedsteam-tillaeg, kind:change" in text
    assert "Annullering af changes/2023-10-01-forebyggelse-nedsat: Nedsættelsen var registreret på den forkerte bevilling" in text
    assert "reverses:changes/2023-10-01-forebyggelse-nedsat" in text
    assert 'Bevilling: Fælles værktøj, "pilot"  ; ref:grants/vaerktoej' in text  # ';' would start a comment in hledger
    tagged = hledger("-f", str(path), "register", "tag:ref=grants/vaerktoej", "-O", "csv")
    assert "committed:vaerktoej:havby" in tagged
    english = cli("export", "vesterhavet", "--format", "hledger", "--data", str(fixture_copy), "--lang", "en")
    assert "* Top-up: Fælles sundhedsteam" in english.out and "Tillægsbevilling" not in english.out
    assert "Accounts:" in english.out and "Konti:" not in english.out


def test_ledger_reads_the_hledger_file_too(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = exported(cli, "Sydvestjylland", "hledger", tmp_path)
    tool = shutil.which("ledger")
    if tool is None:
        pytest.skip("ledger is not installed")
    result = subprocess.run([tool, "-f", str(path), "balance", "^funds:vejen"], capture_output=True, text=True, env=UTF8)
    assert result.returncode == 0, result.stderr
    assert "154378.46 DKK" in result.stdout


def test_beancount_file_passes_bean_check(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("beancount", reason="beancount is not installed (pip install beancount to run this test)")
    from beancount import loader

    record_history(fixture_copy / "vesterhavet")
    for cluster, data in (("Sydvestjylland", ()), ("Nykøbing Falster", ()), ("vesterhavet", ("--data", str(fixture_copy)))):
        path = exported(cli, cluster, "beancount", tmp_path, *data)
        entries, errors, _ = loader.load_file(str(path))
        assert not errors, [e.message for e in errors]
        assert entries
    from beancount.core import realization

    entries, _, _ = loader.load_file(str(tmp_path / "Sydvestjylland.beancount"))
    tree = realization.realize(entries)
    vejen = realization.get(tree, "Assets:Funds:Vejen:2022-2023")
    assert vejen.balance.get_currency_units("DKK").number == Decimal("154378.46")


def test_account_mapping() -> None:
    from klyngefond.core.records import YearSpan

    period = YearSpan(2022, 2023)
    assert hledger_account((FUNDS, "region-syddanmark", period)) == "funds:region-syddanmark:2022-2023"  # type: ignore[arg-type]
    assert beancount_account((FUNDS, "region-syddanmark", period)) == "Assets:Funds:Region-syddanmark:2022-2023"  # type: ignore[arg-type]
    assert beancount_account((STATE, period)) == "Income:State:2022-2023"  # type: ignore[arg-type]
    assert beancount_account(("committed", "72-timers", "unattributed")) == "Expenses:Committed:72-timers:Unattributed"
    assert beancount_account(("payable", "klitby", "havby-2024-0001")) == "Liabilities:Payable:Klitby:Havby-2024-0001"


def test_output_file_is_not_overwritten_without_force(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "s.journal"
    target.write_text("mine", "utf-8")
    refused = cli("export", "Sydvestjylland", "--format", "hledger", "--output", str(target))
    assert refused.code == 1 and "findes allerede" in refused.err
    assert target.read_text("utf-8") == "mine"
    done = cli("export", "Sydvestjylland", "--format", "hledger", "--output", str(target), "--force")
    assert done.code == 0 and "Skrev" in done.err
    assert "funds:vejen:2022-2023" in target.read_text("utf-8")


def test_usage_errors(cli) -> None:  # type: ignore[no-untyped-def]
    bad = cli("export", "Sydvestjylland", "--format", "excel")
    assert bad.code == 2 and "--format hledger" in bad.err
    assert cli("export", "Sydvestjylland").code == 2  # --format is required
    assert cli("export", "Atlantis", "--format", "hledger").code == 2


def test_a_cluster_with_data_errors_is_not_exported(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "sydvestjylland" / "grants" / "x.toml").write_text("id = \n", "utf-8")
    result = cli("export", "Sydvestjylland", "--format", "hledger", "--data", str(data_copy))
    assert result.code == 1 and "x.toml" in result.err and result.out == ""
