"""Half-done operations are found and completed; names are checked before anything is recorded; one id, one cluster.

``invoices --issue`` writes records first and documents after; whatever stops it in between
(a kill, a full disk, a name a document cannot carry) leaves invoices without documents,
which ``check`` reports and ``repair`` (or the next ``--issue``) completes. A counter file
lowered by hand stops issuing without being touched. Clusters sharing an id, and invoice
numbers issued by two clusters, are findings; a payment goes to the issuing cluster's folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from robust_helpers import assert_clean_failure, fingerprint, fresh_copy

from klyngefond.storage.loader import load_ledger

ISSUE = ("invoices", "Vesterhavet", "--issue", "--date", "2024-01-15")
DOCS = Path("fakturaer") / "vesterhavet"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the documents go to ./fakturaer/vesterhavet
    return fresh_copy(tmp_path / "data")


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def invoice_numbers(data: Path, cluster: str = "vesterhavet") -> list[str]:
    folder = data / cluster / "invoices"
    return sorted(p.stem for p in folder.glob("*.toml") if not p.name.startswith(".")) if folder.is_dir() else []


def check_json(cli, data: Path, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(cli("check", *(args or ("Vesterhavet",)), "--data", str(data), "--json").out)


def findings(report: dict, code: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for c in report["clusters"] for f in c["findings"] if f["code"] == code]


# --------------------------------------------------------------------------- invoices without documents


def test_check_reports_invoices_without_documents_and_repair_writes_them(cli, data: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    numbers = invoice_numbers(data)
    assert len(numbers) == 9
    (DOCS / f"{numbers[0]}.pdf").unlink()
    (DOCS / f"{numbers[1]}.pdf").unlink()
    (DOCS / f"{numbers[1]}.xml").unlink()
    report = check_json(cli, data)
    missing = findings(report, "documents")
    assert {(f["file"], f["severity"]) for f in missing} == {(f"invoices/{numbers[0]}.toml", "warning"),
                                                              (f"invoices/{numbers[1]}.toml", "warning")}
    assert all("fakturaer/vesterhavet" in f["message"] and "klyngefond repair vesterhavet" in f["hint"] for f in missing)
    assert report["errors"] == 0  # documents are derived: a warning, the ledger itself is sound
    text = cli("check", "Vesterhavet", "--data", str(data)).out
    assert f"{numbers[1]}.xml" in text and f"{numbers[1]}.pdf" in text
    repaired = ok(cli, "repair", "Vesterhavet", "--data", str(data))
    assert "2 tidligere udstedte fakturaer" in repaired.out and "3 filer skrevet" in repaired.out
    assert all((DOCS / f"{n}{suffix}").is_file() for n in numbers for suffix in (".pdf", ".xml"))
    assert findings(check_json(cli, data), "documents") == []
    again = ok(cli, "repair", "Vesterhavet", "--data", str(data))
    assert "Intet at reparere" in again.out
    assert invoice_numbers(data) == numbers  # repair never issues


def test_the_next_issue_completes_missing_documents_and_removes_old_strays(cli, data: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    numbers = invoice_numbers(data)
    for suffix in (".pdf", ".xml"):
        (DOCS / f"{numbers[-1]}{suffix}").unlink()
    old = data / "vesterhavet" / "invoices" / ".vesterhavet-havby-0009.toml.0a1b2c3d4e5f.tmp"
    young = data / "vesterhavet" / "grants" / ".ny.toml.aaaaaaaaaaaa.tmp"
    old.write_bytes(b"half")
    young.write_bytes(b"half")
    os.utime(old, (time.time() - 600, time.time() - 600))
    strays = findings(check_json(cli, data), "temporary")
    assert {f["file"] for f in strays} == {"invoices/" + old.name, "grants/" + young.name}
    result = ok(cli, *ISSUE, "--data", str(data))
    assert "Intet at udstede" in result.out and "1 tidligere udstedt faktura" in result.out
    assert (DOCS / f"{numbers[-1]}.pdf").is_file() and (DOCS / f"{numbers[-1]}.xml").is_file()
    assert not old.exists() and young.exists()  # a young one may be a command at work
    assert invoice_numbers(data) == numbers


def test_a_missing_documents_folder_is_one_finding_that_says_where_it_looked(cli, data: Path, tmp_path: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    [finding] = findings(check_json(cli, data), "documents")
    assert finding["file"] is None and str(elsewhere / "fakturaer" / "vesterhavet") in finding["message"]
    assert "9 udstedte fakturaer" in finding["message"] and "--out" in finding["hint"]
    # --out names the folder; there everything is in place
    assert findings(check_json(cli, data, "Vesterhavet", "--out", str(tmp_path / DOCS)), "documents") == []
    assert cli("check", "--all", "--out", "x", "--data", str(data)).code == 2


def test_issuing_into_a_new_documents_folder_writes_only_the_new_documents_and_says_where_the_rest_are(
        cli, data: Path, tmp_path: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    earlier = invoice_numbers(data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    ok(cli, "allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1000", "--owner", "region-vest",
       "--date", "2023-05-01", "--level", "politisk", "--record", "--year", "2023", "--data", str(data))
    result = ok(cli, *ISSUE, "--data", str(data))
    new = sorted(set(invoice_numbers(data)) - set(earlier))
    assert new, result.out
    written = sorted(p.name for p in (elsewhere / DOCS).iterdir())
    # only the new invoices' documents, not the earlier ones again (they are in tmp_path/fakturaer)
    assert written == sorted(f"{n}{suffix}" for n in new for suffix in (".pdf", ".xml"))
    assert f"dokumenterne til {len(earlier)} tidligere udstedte fakturaer ligger, hvor de blev udstedt" in result.out
    assert "klyngefond repair vesterhavet --out" in result.out
    # scripts are told the same: nothing completed here, the earlier invoices' documents are elsewhere
    (tmp_path / "third").mkdir()
    os.chdir(tmp_path / "third")  # a third folder with no documents folder yet
    again = json.loads(ok(cli, *ISSUE, "--data", str(data), "--json").out)
    assert again["issued"] == [] and again["completed"] == []
    assert again["earlier_elsewhere"] == len(earlier) + len(new)


def test_a_documents_folder_that_cannot_be_made_refuses_before_a_number_is_taken(cli, data: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    before = fingerprint(data)
    result = cli(*ISSUE, "--data", str(data), "--out", str(tmp_path / "a-file" / "docs"))
    assert_clean_failure(result.text, result.code, 1)
    assert "a-file" in result.err and "intet er udstedt" in result.err and "--out" in result.err
    assert fingerprint(data) == before and invoice_numbers(data) == []


@pytest.mark.parametrize("name", ["HAV-2024-000\u00b2", "HAV-\u0662\u0660\u0662\u0664-0001", "HAV-2024-\uff10\uff10\uff10\uff11"])
def test_an_invoice_file_named_with_other_digits_is_a_finding_not_a_crash(cli, data: Path, name: str) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    (data / "vesterhavet" / "invoices" / f"{name}.toml").write_text("number = 1\n", encoding="utf-8")
    result = cli("check", "--all", "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert name in result.out
    again = cli(*ISSUE, "--data", str(data))  # issuing reads the numbers on file too
    assert_clean_failure(again.text, again.code, 1)


# --------------------------------------------------------------------------- names validated before anything is recorded


@pytest.mark.parametrize("escape", ["\\u001b]0;titel\\u0007", "\\u001b[2J", "\\uFFFE", "\\u0085", "\\u202e"])
def test_a_name_no_document_can_carry_refuses_issuing_before_anything_is_recorded(cli, data: Path, escape: str) -> None:
    grant = data / "vesterhavet" / "grants" / "palliation.toml"
    grant.write_text(grant.read_text("utf-8").replace('name = "Tidlig palliativ indsats"', f'name = "Tidlig{escape} indsats"'),
                     "utf-8")
    before = fingerprint(data)
    result = cli(*ISSUE, "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert "grants/palliation.toml: name:" in result.err and "styretegn" in result.err
    assert fingerprint(data) == before  # no invoice, no counter file, no lock file even
    assert not Path("fakturaer").exists()


def test_the_last_check_before_recording_names_file_and_key(data: Path) -> None:
    """Text the loader accepted but no document can carry (were the rules ever to differ) stops issuing before numbers are taken."""
    from klyngefond.cli.commands.invoices import _refuse_unsafe_text
    from klyngefond.cli.errors import Refused
    from klyngefond.core.invoicing import PlannedDocument
    from klyngefond.i18n import text

    ledger, problems = load_ledger(data / "vesterhavet")
    assert ledger is not None and not problems
    grant = dataclasses.replace(ledger.grant("palliation"), name="Palli\ufffeation")
    partner = dataclasses.replace(ledger.cluster.partner("havby"), address=dataclasses.replace(
        ledger.cluster.partner("havby").address, city="Hav\x1bby"))
    cluster = dataclasses.replace(ledger.cluster, partners=tuple(partner if p.id == "havby" else p for p in ledger.cluster.partners))
    ledger = dataclasses.replace(ledger, grants=tuple(grant if g.id == "palliation" else g for g in ledger.grants), cluster=cluster)
    ledger.__dict__.pop("_indexes", None)
    planned = [PlannedDocument(kind="invoice", grant="palliation", issuer="sandby", recipient="havby",
                               amount=ledger.grant("palliation").granted)]
    with pytest.raises(Refused) as info:
        _refuse_unsafe_text(ledger, planned)
    words = [text(d, "da") for d in info.value.details]
    assert any("grants/palliation.toml: name:" in w and "U+FFFE" in w for w in words), words
    assert any("cluster.toml: partners[1] (havby).address.city:" in w and "U+001B" in w for w in words), words


# --------------------------------------------------------------------------- the counter file lowered by hand


def test_a_lowered_counter_refuses_issuing_without_changing_it_and_repair_raises_it(cli, data: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    ok(cli, "reduce", "Vesterhavet", "palliation", "1000", "--date", "2024-02-01", "--record", "--level", "politisk",
       "--data", str(data))
    counter = data / ".invoice-numbers.toml"
    counter.write_text(counter.read_text("utf-8").replace('"SAN-2024" = 1', '"SAN-2024" = 0'), "utf-8")
    before = fingerprint(data)
    refused = cli("invoices", "Vesterhavet", "--issue", "--date", "2024-02-15", "--data", str(data))
    assert_clean_failure(refused.text, refused.code, 1)
    assert "--force" not in refused.text
    assert "SAN-2024-0001 er allerede udstedt" in refused.err and "tællerfilen er ikke ændret" in refused.err
    assert "klyngefond repair vesterhavet" in refused.err and "«SAN-2024» til 1" in refused.err
    assert fingerprint(data) == before
    [finding] = findings(check_json(cli, data), "sequence")
    assert finding["severity"] == "error" and finding["file"].endswith(".invoice-numbers.toml") and finding["key"] == 'last."SAN-2024"'
    repaired = ok(cli, "repair", "Vesterhavet", "--data", str(data))
    assert "fra 0 til 1" in repaired.out
    ok(cli, "invoices", "Vesterhavet", "--issue", "--date", "2024-02-15", "--data", str(data))
    assert "SAN-2024-0002" in invoice_numbers(data)
    assert findings(check_json(cli, data), "sequence") == []


def test_an_unreadable_counter_refuses_before_anything_changes(cli, data: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    ok(cli, "reduce", "Vesterhavet", "palliation", "1000", "--date", "2024-02-01", "--record", "--level", "politisk",
       "--data", str(data))
    counter = data / ".invoice-numbers.toml"
    counter.write_text('[last]\n"SAN-2024" = -3\n', "utf-8")
    before = fingerprint(data)
    refused = cli("invoices", "Vesterhavet", "--issue", "--date", "2024-02-15", "--data", str(data))
    assert_clean_failure(refused.text, refused.code, 1)
    assert ".invoice-numbers.toml" in refused.err and "--force" not in refused.text
    assert fingerprint(data) == before
    assert findings(check_json(cli, data), "sequence")[0]["severity"] == "error"


# --------------------------------------------------------------------------- one id, one cluster


def test_two_folders_with_one_id_are_refused_and_reported_naming_both(cli, data: Path) -> None:
    shutil.copytree(data / "vesterhavet", data / "vesterhavet-kopi")
    before = fingerprint(data)
    for args in (ISSUE, ("status", "Vesterhavet"), ("status", "vesterhavet-kopi"),
                 ("allocate", "vesterhavet-kopi", "--name", "X", "--amount", "1000", "--owner", "havby", "--date", "2024-01-02",
                  "--level", "politisk", "--record")):
        result = cli(*args, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "«vesterhavet»" in result.err and f"{data}/vesterhavet-kopi" in result.err
        assert re.search(re.escape(f"{data}/vesterhavet") + r"(?!-)\b", result.err), result.err
    assert fingerprint(data) == before
    report = check_json(cli, data, "--all")
    duplicates = findings(report, "duplicate_cluster")
    assert len(duplicates) == 2 and {d["file"] for d in duplicates} == {"cluster.toml"}
    assert {c["folder"] for c in report["clusters"]} == {"vesterhavet", "vesterhavet-kopi"}
    assert "vesterhavet-kopi" in duplicates[0]["message"] and "vesterhavet" in duplicates[1]["message"]
    listing = ok(cli, "clusters", "--data", str(data)).out
    assert "Mappen vesterhavet har klynge-id'et «vesterhavet» ligesom vesterhavet-kopi" in listing


def test_the_same_invoice_number_in_two_clusters_is_an_error_of_both(cli, data: Path) -> None:
    ok(cli, *ISSUE, "--data", str(data))
    other = data / "nabo"
    shutil.copytree(data / "vesterhavet", other)
    cluster = other / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('id = "vesterhavet"', 'id = "nabo"'), "utf-8")
    report = check_json(cli, data, "--all")
    dup = findings(report, "duplicate_invoice")
    assert len(dup) == 18  # nine numbers, each in both folders
    assert all(d["severity"] == "error" and d["key"] == "number" and d["file"].startswith("invoices/") for d in dup)
    assert any(str(other) in d["message"] for d in dup) and any(str(data / "vesterhavet") in d["message"] for d in dup)
    # paying such a number is refused: which cluster's money would it be?
    before = fingerprint(data)
    paid = cli("pay", "HAV-2024-0001", "--date", "2024-02-01", "--data", str(data))
    assert_clean_failure(paid.text, paid.code, 1)
    assert "findes i flere klyngemapper" in paid.err and str(other) in paid.err
    assert fingerprint(data) == before


def test_a_payment_goes_to_the_folder_of_the_cluster_that_issued_the_invoice(cli, data: Path) -> None:
    # Two folders whose names match the same words ("vest" and "Vest"), with different ids.
    vest = data / "vest"
    (data / "vesterhavet").rename(vest)
    shutil.copytree(vest, data / "Vest")
    other = data / "Vest" / "cluster.toml"
    other.write_text(other.read_text("utf-8").replace('id = "vesterhavet"', 'id = "vestb"')
                     .replace('aliases = ["Vesterhavet"]', 'aliases = ["Vest B"]'), "utf-8")
    ok(cli, "invoices", "vesterhavet", "--issue", "--date", "2024-01-15", "--data", str(data))
    ok(cli, "invoices", "vestb", "--issue", "--date", "2024-01-15", "--data", str(data))
    ok(cli, "pay", "HAV-2024-0001", "--date", "2024-02-01", "--data", str(data))
    # Havby is one legal entity (its CVR) in both clusters, so its numbers run on: the second cluster's start at 0004.
    ok(cli, "pay", "HAV-2024-0004", "--date", "2024-02-01", "--data", str(data))
    assert [p.name for p in (vest / "payments").glob("*.toml")] == ["hav-2024-0001-betaling-2024-02-01.toml"]
    assert [p.name for p in (data / "Vest" / "payments").glob("*.toml")] == ["hav-2024-0004-betaling-2024-02-01.toml"]

