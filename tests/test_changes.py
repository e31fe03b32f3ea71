"""Changes after the decision: top-ups, reductions, withdrawals and transfers, each its own dated record."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klyngefond.cli.app import app
from klyngefond.reports.status import grant_lines
from klyngefond.storage.loader import load_ledger

runner = CliRunner()
DECIDED = ["--date", "2024-06-01", "--level", "politisk"]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def ok(*args: object) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def grants(data: Path, cluster: str = "sydvestjylland") -> dict:
    return {g["id"]: g for g in ok("status", cluster, "--data", data)["grants"]}


def test_dry_run_shows_the_effect_and_writes_nothing(data_copy: Path):
    report = ok("topup", "Sydvestjylland", "Kom Trygt Hjem", "100.000", "--data", data_copy)
    assert report["kind"] == "top-up" and report["grant"] == "kom-trygt-hjem" and not report["recorded"]
    changes = {s["partner"]: Decimal(s["share"]) for s in report["shares"]}
    assert changes["region-syddanmark"] == 0  # its part is fixed
    assert sum(changes.values()) == Decimal("100000.00")
    assert not (data_copy / "sydvestjylland" / "changes").exists()
    assert Decimal(report["max_affordable"]) > 0  # the largest affordable top-up


def test_topup_resplits_the_new_total_and_keeps_the_original_file(data_copy: Path):
    grant_file = data_copy / "sydvestjylland" / "grants" / "kom-trygt-hjem.toml"
    original = grant_file.read_bytes()
    report = ok("topup", "Sydvestjylland", "kom-trygt-hjem", "100000", "--data", data_copy, "--record", *DECIDED,
                "--reason", "Flere borgere end ventet")
    assert report["recorded"]
    assert grant_file.read_bytes() == original
    change = tomllib.loads(Path(report["file"]).read_text("utf-8"))
    assert (change["kind"], change["grant"], change["amount"], change["reason"]) == (
        "top-up", "kom-trygt-hjem", "100000.00", "Flere borgere end ventet")
    kth = grants(data_copy)["kom-trygt-hjem"]
    assert kth["granted"] == "1974400.00"
    assert kth["shares"]["region-syddanmark"] == "581400.00"
    assert sum(Decimal(v) for v in kth["shares"].values()) == Decimal("1974400.00")
    ledger, problems = load_ledger(data_copy / "sydvestjylland")
    assert problems == []
    (change_record,) = ledger.changes
    assert (change_record.kind, change_record.grant, change_record.amount, str(change_record.date)) == (
        "top-up", "kom-trygt-hjem", Decimal("100000.00"), "2024-06-01")
    assert change_record.decision.level == "politisk"


def test_reduction_of_negotiated_amounts_scales_them(data_copy: Path):
    ok("reduce", "Sydvestjylland", "akutomraadet", "144.443", "--data", data_copy, "--record", *DECIDED)
    akut = grants(data_copy)["akutomraadet"]
    assert akut["granted"] == "1800000.00"
    shares = {k: Decimal(v) for k, v in akut["shares"].items()}
    assert sum(shares.values()) == Decimal("1800000.00")
    assert shares["region-syddanmark"] < Decimal("1354693.00") and shares["esbjerg"] < Decimal("27437.00")


def test_withdrawal_frees_the_money_the_72_hour_case(data_copy: Path):
    """Seed 000 note *1: if the national acute plan funds the 72-hour initiative, the money is freed."""
    before = ok("status", "Slagelse Klyngen", "--data", data_copy)
    report = ok("withdraw", "Slagelse Klyngen", "72-timers", "--data", data_copy, "--record",
                "--date", "2023-11-01", "--level", "politisk", "--reason", "Finansieret af regeringens akutplan")
    assert report["kind"] == "withdrawal" and report["amount"] == "500000.00"
    after = ok("status", "Slagelse Klyngen", "--data", data_copy)
    g = {x["id"]: x for x in after["grants"]}["72-timers-behandlingsansvar"]
    assert (g["granted"], g["shares"]) == ("0.00", {})
    assert Decimal(after["totals"]["disbursed"]) == Decimal(before["totals"]["disbursed"]) - 500000
    ledger, problems = load_ledger(data_copy / "naestved-slagelse")
    assert problems == []
    line = next(line for line in grant_lines(ledger) if line.grant.id == "72-timers-behandlingsansvar")
    assert (line.granted, line.shares) == (Decimal("0.00"), {})
    again = run("topup", "Slagelse Klyngen", "72-timers", "1000", "--data", data_copy)
    assert again.exit_code == 1 and "withdrawn" in again.stderr


def test_withdrawal_of_a_split_grant_gives_every_share_back(data_copy: Path):
    report = ok("withdraw", "Sydvestjylland", "Kom Trygt Hjem", "--data", data_copy, "--record", *DECIDED)
    freed = {s["partner"]: s["share"] for s in report["shares"]}
    assert freed["esbjerg"] == "-627851.18" and freed["region-syddanmark"] == "-581400.00"
    status = ok("status", "Sydvestjylland", "--data", data_copy)
    assert status["totals"]["disbursed"] == "1944443.00"
    kth = {g["id"]: g for g in status["grants"]}["kom-trygt-hjem"]
    assert (kth["granted"], kth["shares"]) == ("0.00", {})


def test_transfer_moves_money_between_grants_on_one_date(data_copy: Path):
    report = ok("transfer", "Sydvestjylland", "akutomraadet", "Kom Trygt Hjem", "100000", "--data", data_copy,
                "--record", *DECIDED)
    assert (report["kind"], report["grant"], report["to_grant"]) == ("transfer", "akutomraadet", "kom-trygt-hjem")
    assert len(list((data_copy / "sydvestjylland" / "changes").glob("*.toml"))) == 1
    status = ok("status", "Sydvestjylland", "--data", data_copy)
    g = {x["id"]: x for x in status["grants"]}
    assert (g["akutomraadet"]["granted"], g["kom-trygt-hjem"]["granted"]) == ("1844443.00", "1974400.00")
    assert status["totals"]["disbursed"] == "3818843.00"
    for grant in g.values():
        assert sum(Decimal(v) for v in grant["shares"].values()) == Decimal(grant["granted"])


def test_a_topup_a_partner_cannot_afford_is_refused_unless_overridden(data_copy: Path):
    result = run("topup", "Sydvestjylland", "kom-trygt-hjem", "1000000", "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 1 and "Fanø Kommune (fanoe) is short" in result.stderr
    assert not list((data_copy / "sydvestjylland").glob("changes/*.toml"))
    report = ok("topup", "Sydvestjylland", "kom-trygt-hjem", "1000000", "--data", data_copy, "--record", *DECIDED,
                "--override-shortfall", "Kommunerne finder midler i 2024")
    assert tomllib.loads(Path(report["file"]).read_text("utf-8"))["override_shortfall"] == "Kommunerne finder midler i 2024"


def test_reducing_more_than_the_grant_is_refused(data_copy: Path):
    result = run("reduce", "Sydvestjylland", "kom-trygt-hjem", "2.000.000", "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 1
    assert "cannot go below zero" in result.stderr


@pytest.mark.parametrize("args, code, message", [
    (["topup", "Sydvestjylland", "ukendt-projekt", "1000"], 1, "unknown grant"),
    (["topup", "Sydvestjylland", "kom-trygt-hjem", "-1000"], 2, "negative"),
    (["topup", "Sydvestjylland", "kom-trygt-hjem", "1000,001"], 2, "more than two decimals"),
    (["transfer", "Sydvestjylland", "kom-trygt-hjem", "kom-trygt-hjem", "1000"], 1, "another grant"),
    (["withdraw", "Sydvestjylland", "kom-trygt-hjem", "--record"], 2, "--date and --level"),
    (["topup", "Sydvestjylland", "kom-trygt-hjem", "1000", "--record", "--date", "2024-06-01", "--level", "x"], 2, "level"),
    (["topup", "Sydvestjylland", "kom-trygt-hjem", "1000", "--record", *DECIDED, "--id", "../x"], 2, "--id"),
])
def test_change_mistakes(args, code, message, data_copy: Path):
    result = run(*args, "--data", data_copy)
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output


def write_change(data: Path, name: str, body: str) -> Path:
    folder = data / "sydvestjylland" / "changes"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\n{body}\n\n[decision]\nlevel = "politisk"\ndate = 2024-06-01\n', "utf-8")
    return path


@pytest.mark.parametrize("body, key, message", [
    ('kind = "reduction"\ngrant = "kom-trygt-hjem"\namount = 5000000', "amount", "below zero"),
    ('kind = "top-up"\ngrant = "ukendt"\namount = 5', "grant", "unknown grant"),
    ('kind = "top-up"\ngrant = "kom-trygt-hjem"', None, "needs an amount"),
    ('kind = "withdrawal"\ngrant = "kom-trygt-hjem"\namount = 5', None, "remove amount"),
    ('kind = "transfer"\ngrant = "kom-trygt-hjem"\namount = 5', None, "to_grant"),
    ('kind = "tilbagebetaling"\ngrant = "kom-trygt-hjem"', "kind", ""),
    ('kind = "reduction"\ngrant = "kom-trygt-hjem"\namount = 1500000', "amount", "cannot split"),
])
def test_a_bad_change_file_is_named_with_its_key(body, key, message, data_copy: Path):
    path = write_change(data_copy, "fejl", body)
    result = run("status", "Sydvestjylland", "--data", data_copy)
    assert result.exit_code == 1
    assert str(path) in result.stderr and message in result.stderr
    if key:
        assert f"{path}: {key}" in result.stderr


def test_changes_to_a_withdrawn_grant_and_before_the_decision_are_problems(data_copy: Path):
    write_change(data_copy, "a-tilbage", 'kind = "withdrawal"\ngrant = "kom-trygt-hjem"')
    write_change(data_copy, "b-tillaeg", 'kind = "top-up"\ngrant = "kom-trygt-hjem"\namount = 5')
    result = run("status", "Sydvestjylland", "--data", data_copy)
    assert result.exit_code == 1 and "b-tillaeg.toml" in result.stderr and "withdrawn earlier" in result.stderr
    slagelse = data_copy / "naestved-slagelse" / "changes"
    slagelse.mkdir()
    (slagelse / "tidlig.toml").write_text('id = "tidlig"\nkind = "top-up"\ngrant = "vip-borgere"\namount = 5\n'
                                          '[decision]\nlevel = "politisk"\ndate = 2022-01-01\n', "utf-8")
    result = run("status", "Slagelse Klyngen", "--data", data_copy)
    assert result.exit_code == 1 and "before 'vip-borgere' was decided on 2023-04-18" in result.stderr


def test_changes_apply_in_date_order_whatever_the_file_names(data_copy: Path):
    folder = data_copy / "sydvestjylland" / "changes"
    folder.mkdir()
    (folder / "a.toml").write_text('id = "a"\nkind = "withdrawal"\ngrant = "kom-trygt-hjem"\n'
                                   '[decision]\nlevel = "politisk"\ndate = 2024-09-01\n', "utf-8")
    (folder / "b.toml").write_text('id = "b"\nkind = "top-up"\ngrant = "kom-trygt-hjem"\namount = 500000\n'
                                   '[decision]\nlevel = "politisk"\ndate = 2024-03-01\n', "utf-8")
    ledger, problems = load_ledger(data_copy / "sydvestjylland")
    assert problems == []
    assert {line.grant.id: line.granted for line in grant_lines(ledger)}["kom-trygt-hjem"] == Decimal("0.00")
    assert [c.id for c in sorted(ledger.changes, key=lambda c: c.date)] == ["b", "a"]


def test_status_notes_each_changed_grant_and_checks_printed_figures_as_decided(data_copy: Path):
    ok("withdraw", "Slagelse Klyngen", "72-timers", "--data", data_copy, "--record", "--date", "2023-11-01",
       "--level", "politisk")
    ok("topup", "Sydvestjylland", "kom-trygt-hjem", "1000", "--data", data_copy, "--record", *DECIDED)
    slagelse = ok("status", "Slagelse Klyngen", "--data", data_copy)
    assert any("72-timers behandlingsansvar: bevilget 500.000,00 kr., tilbagetrukket 01-11-2023" in n
               for n in slagelse["notes"])
    # The printed total 3.200.000 was what the political level granted; it still checks out.
    assert not [d for d in slagelse["discrepancies"] if d["measure"] == "granted"]
    swj = ok("status", "Sydvestjylland", "--data", data_copy)
    assert any("Kom Trygt Hjem: bevilget 1.874.400,00 kr., nu 1.875.400,00 kr. efter 1 ændring(er)" in n
               for n in swj["notes"])
    assert {(d["measure"], d["partner"]) for d in swj["discrepancies"] if d["kind"] == "differs"} == {
        ("share", "vejen"), ("disbursed", "vejen"), ("remaining", "vejen")}
