"""Per partner what is invoiced, paid, outstanding, overdue and to be refunded: the table that
``invoices`` shows and that ``status`` shows under the funds (``status`` needs nothing else of invoicing)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from klyngefond.core.records import Cluster
from klyngefond.core.text import Name
from klyngefond.i18n import t
from klyngefond.journal import query
from klyngefond.render.table import Column, Table, amount_column

ZERO = Decimal("0.00")
BALANCE_FIELDS = ("invoiced", "paid", "outstanding", "overdue", "to_be_refunded")


def balances_table(cluster: Cluster, partners: Sequence[query.PartnerInvoicing], on: Any, lang: str) -> Table | None:
    """Per partner: invoiced, paid, outstanding, overdue and to be refunded (*til gode*), with totals."""
    if not partners:
        return None
    names = {p.id: Name(p.name, p.label) for p in cluster.partners}  # the short name where the table is narrow
    columns = (Column(t("invoices.col_partner", lang)), amount_column(t("invoices.col_invoiced", lang)),
               amount_column(t("invoices.col_paid", lang)), amount_column(t("invoices.col_outstanding", lang)),
               amount_column(t("invoices.col_overdue", lang)), amount_column(t("invoices.col_to_be_refunded", lang)))
    rows = tuple((names.get(b.partner, b.partner), *[getattr(b, f) for f in BALANCE_FIELDS]) for b in partners)
    totals = (t("invoices.total", lang), *[sum((getattr(b, f) for b in partners), ZERO) for f in BALANCE_FIELDS])
    return Table(columns, rows, title=t("invoices.balances_title", lang) + " " + t("invoices.as_of", lang, date=on),
                 totals=totals, caption=t("invoices.amounts_in", lang), key="balances")
