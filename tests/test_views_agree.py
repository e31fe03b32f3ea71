"""Every view of one cluster on one day gives the same figures: status, the meeting pack,
applications, the closing statement, the clusters overview and the invoices report are all
queries over the one journal, so a partner's remaining, a grant's current amount and what is
invoiced must agree to the øre wherever they are printed.

Runs every shipped cluster and the fictional one (after spending, a closed grant and issued
invoices, so that the less common postings are in it), on several days, as a user types it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_DATA, SHIPPED_DATA

SHIPPED = sorted(p.name for p in SHIPPED_DATA.iterdir() if (p / "cluster.toml").is_file())
DAYS = (None, "2023-06-30", "2024-12-31", "2026-12-31")


def as_json(cli, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = cli(*args, "--json")
    assert result.code == 0, result.text
    return json.loads(result.out)  # type: ignore[no-any-return]


def day_options(day: str | None) -> tuple[str, ...]:
    return () if day is None else ("--as-of", day)


def assert_views_agree(cli, cluster: str, data: tuple[str, ...], day: str | None) -> None:  # type: ignore[no-untyped-def]
    status = as_json(cli, "status", cluster, *data, *day_options(day))
    pack = as_json(cli, "report", cluster, *data, *day_options(day))
    applications = as_json(cli, "applications", cluster, *data, *day_options(day))

    # The meeting pack is made of the very reports, not of a copy of their arithmetic.
    assert pack["status"] == status
    assert pack["applications"] == applications

    # A partner's rows add up to the totals; the grants' shares to what each partner committed.
    partners = {p["id"]: p for p in status["partners"]}
    rows = [*status["partners"], *([status["unattributed"]] if status["unattributed"] else [])]
    for key in ("allocated", "disbursed", "remaining"):
        assert sum(Decimal(r[key]) for r in rows) == Decimal(status["totals"][key]), key
    if status["unattributed"] is None:
        committed = {pid: Decimal(0) for pid in partners}
        for grant in status["grants"]:
            for pid, share in (grant["shares"] or {}).items():
                committed[pid] += Decimal(share)
        assert {k: str(v.quantize(Decimal("0.01"))) for k, v in committed.items()} == \
            {pid: p["disbursed"] for pid, p in partners.items()}

    # Applications' current amounts are the grants' amounts status counts as committed.
    current = sum(Decimal(g["current"]) for g in applications["grants"])
    assert current == Decimal(applications["all"]["current"])
    assert current == sum((Decimal(g["granted"]) for g in status["grants"] if not g["withdrawn"]), Decimal(0))

    # The closing statement on that day says what status says the partners have.
    if day is not None:
        closing = as_json(cli, "closeout", cluster, "--date", day, *data)
        by_partner = {p["id"]: p for p in closing["partners"]}
        for pid, p in partners.items():
            assert (by_partner[pid]["received"], by_partner[pid]["remaining"]) == (p["allocated"], p["remaining"]), pid


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("cluster", SHIPPED)
def test_the_shipped_clusters_views_agree(cli, cluster: str, day: str | None) -> None:  # type: ignore[no-untyped-def]
    assert_views_agree(cli, cluster, (), day)


@pytest.mark.parametrize("day", DAYS)
def test_the_views_agree_after_spending_closing_and_invoicing(cli, fixture_copy: Path, day: str | None) -> None:  # type: ignore[no-untyped-def]
    data = ("--data", str(fixture_copy))
    for args in (("spend", "Vesterhavet", "akutteam", "100.000", "--date", "2024-06-30"),
                 ("invoices", "Vesterhavet", "--issue", "--date", "2024-07-01", "--out", "fakturaer"),
                 ("close-grant", "Vesterhavet", "akutteam", "--date", "2024-09-30", "--record"),
                 ("invoices", "Vesterhavet", "--issue", "--date", "2024-10-01", "--out", "fakturaer")):
        result = cli(*args, *data)
        assert result.code == 0, result.text
    assert_views_agree(cli, "Vesterhavet", data, day)
    # The partners' invoicing in status is the invoices report's, on the same day.
    status = as_json(cli, "status", "Vesterhavet", *data, *day_options(day))
    invoices = as_json(cli, "invoices", "Vesterhavet", *data, *day_options(day))
    if day is None or day > "2024-07-01":
        assert status["invoices"], "the issued invoices are in status"
    assert (status["invoices"] or []) == [{k: v for k, v in p.items() if k != "name"} for p in invoices["partners"]]


def test_the_clusters_overview_is_each_clusters_status(cli) -> None:  # type: ignore[no-untyped-def]
    overview = as_json(cli, "clusters")
    for row in overview["clusters"]:
        totals = as_json(cli, "status", row["folder"])["totals"]
        assert (row["allocated"], row["disbursed"], row["remaining"]) == (totals["allocated"], totals["disbursed"], totals["remaining"])


def test_the_fictional_fixture_is_where_the_tests_expect_it() -> None:
    assert (FIXTURE_DATA / "vesterhavet" / "cluster.toml").is_file()
