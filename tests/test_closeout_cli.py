"""Closing a cluster's books from the command line, on a copy of the fictional fixture cluster:
the statement and settlement, recording, the refusals while closed, reopening, the handover
and the successor's ledger, and the documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.core.records import Invoice, Payment

D = "--data"
SUCCESSORS = ["--successor", "Sundhedsråd Vest", "--successor", "region-vest=Region Vest, Sundhedsrådet"]
DECIDED = ["--level", "politisk", "--decided", "2026-10-31"]


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.toml")}


def has_row(text: str, *cells: str) -> bool:
    pattern = r"\s+".join(re.escape(cell) for cell in cells)
    return any(re.search(r"^\s*" + pattern + r"\s*$", line) for line in text.splitlines())


def issue_invoices(cluster: Path, paid: tuple[str, ...] = ()) -> list[Invoice]:
    """What `invoices --issue` would have issued in 2023: every partner its share of every grant, from the owner."""
    from klyngefond.journal import query
    from klyngefond.journal.build import build_journal
    from klyngefond.storage.loader import load_ledger
    from klyngefond.storage.records import write_record

    ledger, _ = load_ledger(cluster)
    assert ledger is not None
    shares = query.grant_shares(build_journal(ledger))
    counters: dict[str, int] = {}
    issued = []
    for grant in ledger.grants:
        for holder, amount in shares[grant.id].items():
            if holder == grant.owner or not amount:
                continue
            counters[grant.owner] = counters.get(grant.owner, 0) + 1  # type: ignore[index]
            day = grant.decision.date + dt.timedelta(days=30)  # type: ignore[union-attr]
            invoice = Invoice(f"vesterhavet-{grant.owner}-{counters[grant.owner]:04d}", "invoice", grant.owner, holder,  # type: ignore[arg-type, index]
                              grant.id, amount, day, day + dt.timedelta(days=30))
            write_record(cluster, "invoices", invoice, "# test\n")
            issued.append(invoice)
    for invoice in issued:
        if invoice.number in paid or paid == ("all",):
            write_record(cluster, "payments", Payment(f"{invoice.number}-b", invoice.number, invoice.due_date, invoice.amount), "# test\n")
    return issued


def spend_and_close_everything(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    for grant, amount in (("akutteam", "412.500"), ("faelles-sundhedsteam", "420.000"), ("palliation", "123.456,78"),
                          ("forebyggelse", "180.000")):
        assert cli("spend", "Vesterhavet", grant, amount, "--date", "2026-09-15", D, str(data)).code == 0
        assert cli("close-grant", "Vesterhavet", grant, "--date", "2026-09-30", "--record", D, str(data)).code == 0


def test_the_settlement_of_the_issues_example_is_one_transfer(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    issued = issue_invoices(fixture_copy / "vesterhavet")
    open_ones = {"vesterhavet-region-vest-0001", "vesterhavet-havby-0003"}  # region -> Havby 171.428,57; Havby -> region 300.000
    assert {(i.issuer, i.recipient, str(i.amount)) for i in issued if i.number in open_ones} == {
        ("region-vest", "havby", "171428.57"), ("havby", "region-vest", "300000.00")}
    issue_payments = tuple(i.number for i in issued if i.number not in open_ones)
    from klyngefond.storage.records import write_record

    for invoice in issued:
        if invoice.number in issue_payments:
            write_record(fixture_copy / "vesterhavet", "payments",
                         Payment(f"{invoice.number}-b", invoice.number, invoice.due_date, invoice.amount), "# test\n")
    before = files(fixture_copy)
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--json", D, str(fixture_copy))
    assert result.code == 0, result.err
    statement = json.loads(result.out)
    assert statement["settlement"] == [{"payer": "region-vest", "payee": "havby", "amount": "128571.43"}]
    assert statement["recorded"] is False and files(fixture_copy) == before
    text = cli("closeout", "Vesterhavet", "--date", "2026-12-31", D, str(fixture_copy)).out
    assert has_row(text, "Region Vest", "Havby Kommune", "128.571,43")
    assert "1 overførsel udligner alle åbne fakturaer og kreditnotaer mellem 2 parter." in text


def test_closeout_dry_run_shows_the_statement_per_partner(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    issue_invoices(fixture_copy / "vesterhavet", paid=("vesterhavet-havby-0001", "vesterhavet-klitby-0001"))
    spend_and_close_everything(cli, fixture_copy)
    before = files(fixture_copy)
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", *SUCCESSORS, D, str(fixture_copy))
    assert result.code == 0, result.err
    out = result.out
    assert "forslag til regnskabsafslutning pr. 31-12-2026" in out
    assert has_row(out, "Havby", "1.000.000,00", "0,00", "440.193,99", "101.428,57", "559.806,01", "0,00")
    assert has_row(out, "I alt", "3.500.000,00", "0,00", "1.135.956,78", "312.500,00", "2.364.043,22", "0,00")
    assert has_row(out, "Mobilt akutteam", "Region Vest", "Havby Kommune", "kreditnota", "30.000,00")
    assert "Afregning: hvem betaler hvem" in out and "Overdragelse til efterfølgere" in out
    assert has_row(out, "Region Vest", "Region Vest, Sundhedsrådet", "1.315.000,00")
    assert "intet er gemt" in out
    assert files(fixture_copy) == before
    data = json.loads(cli("closeout", "Vesterhavet", "--date", "2026-12-31", *SUCCESSORS, "--json", D, str(fixture_copy)).out)
    for row in data["partners"]:
        money = {k: Decimal(v) for k, v in row.items() if k in ("received", "committed", "spent", "handed_over", "remaining")}
        assert money["received"] == money["committed"] + money["spent"] + money["handed_over"] + money["remaining"]
    assert sum(Decimal(r["position"]) for r in data["partners"]) == 0
    assert len(data["settlement"]) <= 3


def test_an_open_grant_is_named_in_the_statement(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", D, str(fixture_copy))
    assert "Mobilt akutteam: 500.000,00 kr. er udmøntet, men ikke forbrugt" in result.out
    assert "klyngefond close-grant" in result.out


RECORDING = [
    ["allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1.000", "--owner", "havby", "--record", "--date", "2026-11-01",
     "--level", "politisk"],
    ["topup", "Vesterhavet", "akutteam", "1.000", "--record", "--date", "2026-11-01", "--level", "politisk"],
    ["withdraw", "Vesterhavet", "akutteam", "--record", "--date", "2026-11-01", "--level", "politisk"],
    ["carryover", "Vesterhavet", "--from", "2023", "--to", "2024", "--record", "--date", "2026-11-01", "--level", "politisk"],
    ["annul", "Vesterhavet", "grants/akutteam", "--reason", "fejl", "--date", "2026-11-01", "--record"],
    ["spend", "Vesterhavet", "akutteam", "1.000", "--date", "2026-11-01"],
    ["close-grant", "Vesterhavet", "akutteam", "--date", "2026-11-01", "--record"],
    ["closeout", "Vesterhavet", "--date", "2026-11-01", "--record"],
]


def test_after_closeout_every_recording_command_refuses_until_reopened(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("closeout", "Vesterhavet", "--date", "2026-10-31", "--record", *DECIDED, D, str(fixture_copy))
    assert done.code == 0, done.err
    assert "Regnskabet er afsluttet og gemt i" in done.out
    assert files(fixture_copy) >= {"vesterhavet/closeouts/2026-10-31-regnskabsafslutning.toml"}
    before = files(fixture_copy)
    for args in RECORDING:
        result = cli(*args, D, str(fixture_copy))
        assert result.code == 1, (args, result.out, result.err)
        assert "regnskabet for Testklynge Vesterhavet er afsluttet pr. 31-10-2026" in result.err, args
        assert "klyngefond reopen vesterhavet" in result.err
    assert files(fixture_copy) == before
    # Reading still works, and a dry run of a recording command still shows its effect.
    assert cli("status", "Vesterhavet", D, str(fixture_copy)).code == 0
    assert cli("spend", "Vesterhavet", "akutteam", "1.000", "--date", "2026-11-01", "--lang", "en", D, str(fixture_copy)).code == 1
    english = cli("topup", "Vesterhavet", "akutteam", "1.000", "--record", "--date", "2026-11-01", "--level", "politisk", "--lang",
                  "en", D, str(fixture_copy))
    assert "the books of Testklynge Vesterhavet were closed on 2026-10-31" in english.err
    # Reopening: shown first, then recorded; then recording works again.
    dry = cli("reopen", "Vesterhavet", "--date", "2026-11-01", "--reason", "Sen afrapportering", D, str(fixture_copy))
    assert dry.code == 0 and "intet er gemt" in dry.out and files(fixture_copy) == before
    reopened = cli("reopen", "Vesterhavet", "--date", "2026-11-01", "--reason", "Sen afrapportering", "--record", D, str(fixture_copy))
    assert reopened.code == 0, reopened.err
    assert "er genåbnet pr. 01-11-2026" in reopened.out
    assert cli("spend", "Vesterhavet", "akutteam", "1.000", "--date", "2026-11-01", D, str(fixture_copy)).code == 0
    again = cli("reopen", "Vesterhavet", "--date", "2026-11-02", "--reason", "x", D, str(fixture_copy))
    assert again.code == 1 and "er ikke afsluttet" in again.err
    # Closing again works (on the same date too: the reopened closeout no longer holds), and closes again.
    assert cli("closeout", "Vesterhavet", "--date", "2026-10-31", "--record", *DECIDED, D, str(fixture_copy)).code == 1  # spent after it
    assert cli("closeout", "Vesterhavet", "--date", "2026-11-02", "--record", *DECIDED[:2], "--decided", "2026-11-02", D,
               str(fixture_copy)).code == 0
    assert cli("spend", "Vesterhavet", "akutteam", "1.000", "--date", "2026-11-03", D, str(fixture_copy)).code == 1


def test_a_closeout_in_the_future_needs_the_decision(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    result = cli("closeout", "Vesterhavet", "--date", future, "--record", D, str(fixture_copy))
    assert result.code == 1 and "ligger i fremtiden" in result.err and "--decided" in result.err
    decided = cli("closeout", "Vesterhavet", "--date", future, "--record", "--level", "politisk", "--decided",
                  dt.date.today().isoformat(), D, str(fixture_copy))
    assert decided.code == 0, decided.err


def test_handover_starts_the_successors_ledger_and_a_half_finished_one_is_completed(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spend_and_close_everything(cli, fixture_copy)
    successor_root = tmp_path / "efterfoelgere"
    args = ["closeout", "Vesterhavet", "--date", "2026-12-31", *SUCCESSORS, "--successor-data", str(successor_root), *DECIDED,
            D, str(fixture_copy)]
    dry = cli(*args)
    assert dry.code == 0, dry.err
    assert "6 filer mangler endnu" in dry.out and not successor_root.exists()
    done = cli(*args, "--record")
    assert done.code == 0, done.err
    assert "Overdragelsen er fuldført" in done.out
    expected = {"sundhedsraad-vest/cluster.toml", "sundhedsraad-vest/allocations/vesterhavet-havby.toml",
                "sundhedsraad-vest/allocations/vesterhavet-klitby.toml", "sundhedsraad-vest/allocations/vesterhavet-sandby.toml",
                "region-vest-sundhedsraadet/cluster.toml", "region-vest-sundhedsraadet/allocations/vesterhavet-region-vest.toml"}
    assert files(successor_root) == expected
    # The successor's ledger opens with what was handed over, its source recorded.
    status = json.loads(cli("status", "Sundhedsråd Vest", "--json", D, str(successor_root)).out)
    assert {p["id"]: p["allocated"] for p in status["partners"]} == {"havby": "559806.01", "klitby": "329285.71", "sandby": "159951.50"}
    allocation = (successor_root / "sundhedsraad-vest" / "allocations" / "vesterhavet-havby.toml").read_text(encoding="utf-8")
    assert "Overdraget fra Testklynge Vesterhavet ved regnskabsafslutning 31-12-2026 (closeouts/2026-12-31-regnskabsafslutning)" in allocation
    assert "date = 2027-01-01" in allocation and "year = 2027" in allocation
    region = json.loads(cli("status", "region-vest-sundhedsraadet", "--json", D, str(successor_root)).out)
    assert region["totals"]["allocated"] == "1315000.00"
    old = json.loads(cli("status", "Vesterhavet", "--json", D, str(fixture_copy)).out)
    assert old["totals"]["remaining"] == "0.00" and old["totals"]["handed_over"] == "2364043.22"
    # An interruption: cluster.toml (written last) and one opening balance are missing.
    (successor_root / "sundhedsraad-vest" / "cluster.toml").unlink()
    (successor_root / "sundhedsraad-vest" / "allocations" / "vesterhavet-sandby.toml").unlink()
    look = cli("closeout", "Vesterhavet", "--successor-data", str(successor_root), D, str(fixture_copy))
    assert look.code == 0, look.err
    assert "2 filer mangler endnu" in look.out and "findes allerede med det samme indhold" in look.out
    again = cli(*args, "--record")
    assert again.code == 0, again.err
    assert files(successor_root) == expected  # completed, nothing twice
    assert "Overdragelsen er fuldført" in again.out
    assert cli(*args, "--record").code == 0  # and again: nothing to do
    assert files(successor_root) == expected
    # A closeout that differs from the recorded one is refused while the books are closed.
    other = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--successor", "Et andet råd", "--successor-data",
                str(successor_root), "--record", D, str(fixture_copy))
    assert other.code == 1 and "er afsluttet" in other.err


def test_a_successor_file_with_other_content_stops_the_handover_before_anything_is_written(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ny"
    (root / "sundhedsraad-vest" / "allocations").mkdir(parents=True)
    (root / "sundhedsraad-vest" / "allocations" / "vesterhavet-havby.toml").write_text(
        'partner = "havby"\nyear = 2027\nreceived = 1\n', encoding="utf-8")
    result = cli("closeout", "Vesterhavet", "--date", "2026-10-31", "--successor", "Sundhedsråd Vest", "--successor-data", str(root),
                 "--record", *DECIDED, D, str(fixture_copy))
    assert result.code == 1
    assert "findes allerede med et andet indhold" in result.err and "overskriver aldrig" in result.err
    assert files(root) == {"sundhedsraad-vest/allocations/vesterhavet-havby.toml"}
    assert not (fixture_copy / "vesterhavet" / "closeouts").exists()


def test_documents_markdown_and_json(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue_invoices(fixture_copy / "vesterhavet")
    spend_and_close_everything(cli, fixture_copy)
    md = cli("closeout", "Vesterhavet", "--date", "2026-12-31", *SUCCESSORS, "--format", "markdown", D, str(fixture_copy))
    assert md.code == 0, md.err
    assert md.out.startswith("# Testklynge Vesterhavet — forslag til regnskabsafslutning pr. 31-12-2026")
    assert "## Afregning: hvem betaler hvem" in md.out
    assert "| Havby | 1.000.000,00 |" in md.out
    target = tmp_path / "afslutning.md"
    written = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "markdown", "--output", str(target), D, str(fixture_copy))
    assert written.code == 0 and target.read_text(encoding="utf-8").startswith("# Testklynge Vesterhavet")
    assert cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "markdown", "--output", str(target), D,
               str(fixture_copy)).code == 1  # never over an existing file without --force
    as_json = tmp_path / "afslutning.json"
    assert cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "json", "--output", str(as_json), D,
               str(fixture_copy)).code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["date"] == "2026-12-31"
    english = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "markdown", "--lang", "en", D, str(fixture_copy))
    assert "## Settlement: who pays whom" in english.out and "| Havby | 1,000,000.00 |" in english.out


def test_english_statement(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    issue_invoices(fixture_copy / "vesterhavet")
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", *SUCCESSORS, "--lang", "en", D, str(fixture_copy))
    assert result.code == 0, result.err
    assert "proposed closing of the books on 2026-12-31" in result.out
    assert "Settlement: who pays whom" in result.out and "Handover to successors" in result.out
    for danish in ("Afregning", "forslag", "Modtaget", "kreditnota", "gemt"):
        assert danish not in result.out


@pytest.mark.parametrize("args,words", [
    (["--date", "2026-12-31", "--successor", "a", "--successor", "b"], "mere end én gang"),
    (["--date", "2026-12-31", "--successor", "ukendt=Råd"], "ukendt part"),
    (["--date", "2026-12-31", "--successor", "!!!"], "ingen bogstaver"),
    (["--date", "2026-12-31", "--format", "docx"], "ukendt format"),
    (["--date", "2026-12-31", "--decided", "2026-11-01"], "kræver --level"),
    ([], "kræver --date"),
])
def test_closeout_usage_errors_exit_2(cli, fixture_copy: Path, args: list[str], words: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("closeout", "Vesterhavet", *args, D, str(fixture_copy))
    assert result.code == 2, result.err
    assert words in result.err


def test_partners_funds_are_not_handed_over_where_grants_have_no_stated_split(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("closeout", "Slagelse Klyngen", "--date", "2026-12-31", "--successor", "Sundhedsråd Øst", "--json")
    assert result.code == 0, result.err
    statement = json.loads(result.out)
    assert statement["handover"] == [] and statement["totals"]["remaining"] == "30260.00"
    assert any("parternes midler fra 2023 overdrages ikke" in note for note in statement["notes"])
    sydvest = json.loads(cli("closeout", "Sydvestjylland", "--date", "2026-12-31", "--successor", "Sundhedsråd Syd", "--json").out)
    # Sydvestjylland's partners hand over what seed 004 item 4 says remains: 2.728.707,00 kr.
    assert sydvest["totals"]["handed_over"] == "2728707.00" and sydvest["totals"]["remaining"] == "0.00"
