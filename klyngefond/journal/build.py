"""From a ledger's records to the journal: one pass over the records in date order. Pure.

The rules, which ``docs/journal.md`` states for people:

* **Budget periods.** Every allocation, grant, change and carry-over names a year or a
  period; overlapping ones merge into one period (2022 and 2022-2023 make 2022-2023).
* **Which period a decision draws on.** A grant draws on the period of its stated
  ``year``, else of its decision's year; a change on its ``year``, else its decision's
  year. Money carried into a period counts there like the period's own.
* **Dates.** A record is dated by its decision (grant, change), its date (allocation,
  payment, refund, annulment) or its issue date (invoice). An allocation without a date is
  dated the first day of its year; a grant without a decision the first day of its period
  (``date_stated`` is then false). A carry-over moves the money on the first day of the
  year it carries into, or on its decision's date if that is later.
* **Grants and changes.** A grant commits each partner's share from its funds; a change
  re-splits the grant's new amount by the same model and commits (or frees) the
  difference per partner, in the change's period. A grant whose split the source does not
  state is committed on the ``unattributed`` holder.
* **Carry-overs** move each holder's remainder (or the stated amount) from every period
  in ``from_year`` to the period of ``to_year``, whatever its sign, so the total carried is
  the total that remained.
* **Annulments** reverse the annulled record's postings on the annulment's date.
* **Invoices** put the amount on the issuer's receivable and the recipient's payable;
  credit notes, payments and refunds move them back.
* **Spending** moves money from ``committed`` to ``spent`` within each partner's share: the
  grant's total spending is split by the grant's own shares (largest remainder), and the
  posting is the difference to what was already spent per partner. So each partner's part
  of the spending is always the same function of the total, and a grant spent in full has
  spent exactly its shares. A change to a grant with spending re-splits the spending too.
* **Closing a grant** frees what is still committed, per partner, back to the funds of the
  grant's own budget period (or the period of the closing's ``year``); afterwards the
  grant's shares are what was spent.
* **A closeout** hands over, per holder with a successor, everything it has left in every
  period to ``("handed-over", holder, successor)``; a reopening posts nothing.

Records that cannot apply (a change to a withdrawn grant, a reduction below zero, an
annulment that would leave a later change hanging) are reported as problems and left
out, so one bad file never hides the others.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from klyngefond.core.cofinancing import Basis, Bases, FinancingError, shares_for
from klyngefond.core.ids import IdError, slugify
from klyngefond.core.ledger import Ledger, ref
from klyngefond.core.problems import Problem
from klyngefond.core.records import (
    Allocation,
    Annulment,
    CarryOver,
    Change,
    Closeout,
    Grant,
    GrantClosing,
    Invoice,
    Payment,
    Refund,
    Reopening,
    Spending,
    YearSpan,
)
from klyngefond.core.splitting import split_by_weights
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal.model import (
    COMMITTED,
    FUNDS,
    HANDED_OVER,
    PAYABLE,
    RECEIVABLE,
    SPENT,
    STATE,
    UNATTRIBUTED,
    GrantState,
    Journal,
    Posting,
    Transaction,
)

ZERO = Decimal("0.00")

# Order of records on the same date: money arrives and moves between years before it is
# committed, spending follows the decisions it spends on, a grant is closed after the
# day's spending, invoices follow the decisions they bill, and the books close last.
_ORDER = {"allocation": 0, "carryover": 1, "grant": 2, "change": 3, "spending": 4, "closing": 5, "annulment": 6,
          "invoice": 7, "payment": 8, "refund": 9, "closeout": 10, "reopening": 11}


def successor_id(name: str) -> str:
    """The id a successor is known by in accounts and folder names: its name as an id."""
    return slugify(name)


def draws_on(record: Grant | Change) -> YearSpan:
    """The year or period a grant or change names: its stated ``year``, else its decision's year."""
    if record.year is not None:
        return record.year
    return YearSpan.of(record.decision.date.year)  # type: ignore[union-attr]


def merge_spans(spans: Iterable[YearSpan]) -> tuple[YearSpan, ...]:
    """Overlapping spans merged into periods, in order."""
    merged: list[YearSpan] = []
    for span in sorted(spans, key=lambda s: (s.first, s.last)):
        if merged and span.first <= merged[-1].last:
            last = merged[-1]
            merged[-1] = YearSpan(last.first, max(last.last, span.last))
        else:
            merged.append(span)
    return tuple(merged)


def budget_periods(ledger: Ledger) -> tuple[YearSpan, ...]:
    spans = [a.year for a in ledger.all_allocations()]
    spans += [draws_on(g) for g in ledger.grants]
    spans += [draws_on(c) for c in ledger.changes]
    spans += [YearSpan.of(c.to_year) for c in ledger.carryovers]
    spans += [c.year for c in ledger.closings if c.year is not None]
    return merge_spans(spans)


class _Builder:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.cluster = ledger.cluster
        self.periods = budget_periods(ledger)
        self.allocations = ledger.all_allocations()
        self.bases = Bases(self.cluster, self.allocations)
        self.balances: dict[tuple[str, YearSpan], Decimal] = defaultdict(lambda: ZERO)
        self.transactions: list[Transaction] = []
        self.by_ref: dict[str, Transaction] = {}
        self.problems: list[Problem] = []
        # per grant: current amount, current shares, period, basis, status
        self.amount: dict[str, Decimal] = {}
        self.shares: dict[str, dict[str, Decimal]] = {}
        self.period: dict[str, YearSpan] = {}
        self.basis: dict[str, Basis] = {}
        self.grant: dict[str, Grant] = {}
        self.withdrawn: set[str] = set()
        self.annulled: set[str] = set()
        self.active_changes: dict[str, list[str]] = defaultdict(list)
        self.change_count: dict[str, int] = defaultdict(int)
        self.open_credit: dict[str, Decimal] = {}
        # per grant and holder: what is committed and what is spent (from the postings)
        self.committed: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.spent: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.closed: dict[str, str] = {}  # grant -> the closing in force
        self.reopened = {r.closeout for r in ledger.reopenings}
        self.closeouts: dict[str, Transaction] = {}  # closeouts in force, by reference

    # ------------------------------------------------------------------ helpers

    def period_of(self, year: int) -> YearSpan:
        for period in self.periods:
            if period.contains(year):
                return period
        return YearSpan(year, year)  # pragma: no cover - every record's year is in a period

    def problem(self, reference: str, key: str | None, message: Message, hint: Message | None = None) -> None:
        self.problems.append(Problem(self.ledger.origins.get(reference), key, message, hint, "error", code="journal"))

    def add(self, txn: Transaction) -> None:
        for posting in txn.postings:
            account = posting.account
            if account[0] == FUNDS:
                self.balances[(account[1], account[2])] += posting.amount  # type: ignore[index]
            elif account[0] in (COMMITTED, SPENT):
                book = (self.committed if account[0] == COMMITTED else self.spent)[account[1]]  # type: ignore[index]
                book[account[2]] = book.get(account[2], ZERO) + posting.amount  # type: ignore[index]
        self.transactions.append(txn)
        if txn.kind != "annulment":
            self.by_ref[txn.ref] = txn

    def split(self, grant_id: str, amount: Decimal) -> dict[str, Decimal]:
        grant = self.grant[grant_id]
        shares = shares_for(grant.financing, amount, self.basis[grant_id], original=grant.granted)
        if shares is None:
            return {UNATTRIBUTED: amount} if amount else {}
        return shares

    def commit(self, grant_id: str, period: YearSpan, new: dict[str, Decimal]) -> list[Posting]:
        """Postings that move the grant's shares from ``self.shares[grant_id]`` to ``new``."""
        old = self.shares.get(grant_id, {})
        postings = []
        for holder in dict.fromkeys([*old, *new]):
            delta = new.get(holder, ZERO) - old.get(holder, ZERO)
            if delta:
                postings.append(Posting((FUNDS, holder, period), -delta))  # type: ignore[arg-type]
                postings.append(Posting((COMMITTED, grant_id, holder), delta))
        self.shares[grant_id] = dict(new)
        return postings

    def spent_total(self, grant_id: str) -> Decimal:
        return sum(self.spent.get(grant_id, {}).values(), ZERO)

    def respend(self, grant_id: str, total: Decimal, spent: dict[str, Decimal] | None = None) -> list[Posting]:
        """Postings that make the grant's spending per holder ``total`` split by the grant's shares.

        ``spent`` is what is spent per holder before these postings (default: as the journal
        stands). The split is the largest-remainder rule of ``core/splitting.py``, weighted by
        the shares, so spending equal to the grant is exactly its shares.
        """
        before = dict(self.spent.get(grant_id, {}) if spent is None else spent)
        weights = {h: v for h, v in self.shares.get(grant_id, {}).items() if v > 0}
        target = split_by_weights(total, weights) if total and weights else {}
        postings = []
        for holder in dict.fromkeys([*before, *target]):
            delta = target.get(holder, ZERO) - before.get(holder, ZERO)
            if delta:
                postings.append(Posting((COMMITTED, grant_id, holder), -delta))
                postings.append(Posting((SPENT, grant_id, holder), delta))
        return postings

    def grant_problem(self, grant_id: str, date: dt.date, key: str = "grant") -> tuple[str, Message, Message | None] | None:
        """Why spending or closing cannot apply to ``grant_id`` on ``date``, if it cannot."""
        if grant_id not in self.amount:
            if grant_id in self.annulled:
                return key, Message("journal.change_to_annulled", grant=grant_id), None
            return key, Message("spending.before_grant", grant=grant_id, date=date), Message("journal.hint_check_date")
        name = Verbatim(self.grant[grant_id].name)
        if grant_id in self.withdrawn:
            return key, Message("spending.grant_withdrawn", grant=name), None
        if grant_id in self.closed:
            return key, Message("spending.grant_closed", grant=name, closing=self.closed[grant_id]), \
                Message("spending.hint_annul_closing")
        return None

    # ------------------------------------------------------------------ events

    def events(self) -> list[tuple[dt.date, int, str, bool, object]]:
        ledger = self.ledger
        events: list[tuple[dt.date, int, str, bool, object]] = []
        for index, allocation in enumerate(self.allocations):
            date = allocation.date or dt.date(allocation.year.first, 1, 1)
            reference = ref("allocations", allocation.id) if allocation.id else f"cluster/allocations[{index + 1}]"
            events.append((date, _ORDER["allocation"], reference, allocation.date is not None, allocation))
        for grant in ledger.grants:
            if grant.decision is not None:
                date, stated = grant.decision.date, True
            else:
                date, stated = dt.date(self.period_of(draws_on(grant).first).first, 1, 1), False
            events.append((date, _ORDER["grant"], ref("grants", grant.id), stated, grant))
        for change in ledger.changes:
            events.append((change.date, _ORDER["change"], ref("changes", change.id), True, change))
        for carryover in ledger.carryovers:
            events.append((carryover.date, _ORDER["carryover"], ref("carryovers", carryover.id), carryover.decision is not None,
                           carryover))
        for annulment in ledger.annulments:
            events.append((annulment.date, _ORDER["annulment"], ref("annulments", annulment.id), True, annulment))
        for invoice in ledger.invoices:
            events.append((invoice.issue_date, _ORDER["invoice"], ref("invoices", invoice.number), True, invoice))
        for payment in ledger.payments:
            events.append((payment.date, _ORDER["payment"], ref("payments", payment.id), True, payment))
        for refund in ledger.refunds:
            events.append((refund.date, _ORDER["refund"], ref("refunds", refund.id), True, refund))
        for spending in ledger.spending:
            events.append((spending.date, _ORDER["spending"], ref("spending", spending.id), True, spending))
        for closing in ledger.closings:
            events.append((closing.date, _ORDER["closing"], ref("closings", closing.id), True, closing))
        for closeout in ledger.closeouts:
            events.append((closeout.date, _ORDER["closeout"], ref("closeouts", closeout.id), True, closeout))
        for reopening in ledger.reopenings:
            events.append((reopening.date, _ORDER["reopening"], ref("reopenings", reopening.id), True, reopening))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        return events

    def run(self) -> Journal:
        for date, _, reference, stated, record in self.events():
            if isinstance(record, Allocation):
                self.allocation(date, reference, stated, record)
            elif isinstance(record, Grant):
                self.grant_decision(date, reference, stated, record)
            elif isinstance(record, Change):
                self.change(date, reference, record)
            elif isinstance(record, CarryOver):
                self.carryover(date, reference, stated, record)
            elif isinstance(record, Annulment):
                self.annulment(date, reference, record)
            elif isinstance(record, Invoice):
                self.invoice(date, reference, record)
            elif isinstance(record, Payment):
                self.money_back_and_forth(date, reference, record, "payment")
            elif isinstance(record, Refund):
                self.money_back_and_forth(date, reference, record, "refund")
            elif isinstance(record, Spending):
                self.spending(date, reference, record)
            elif isinstance(record, GrantClosing):
                self.closing(date, reference, record)
            elif isinstance(record, Closeout):
                self.closeout(date, reference, record)
            elif isinstance(record, Reopening):
                self.add(Transaction(date, "reopening", reference, (), True, record=record))
        grants = {
            gid: GrantState(gid, self.amount.get(gid, ZERO), self.period[gid], gid in self.withdrawn, gid in self.annulled,
                            self.change_count[gid], gid in self.closed)
            for gid in self.period
        }
        return Journal(self.cluster, self.periods, tuple(self.transactions), grants, tuple(self.problems))

    def allocation(self, date: dt.date, reference: str, stated: bool, allocation: Allocation) -> None:
        period = self.period_of(allocation.year.first)
        amount = allocation.amount
        postings = (Posting((FUNDS, allocation.partner, period), amount), Posting((STATE, period), -amount))  # type: ignore[arg-type]
        self.add(Transaction(date, "allocation", reference, postings, stated, period, record=allocation))

    def grant_decision(self, date: dt.date, reference: str, stated: bool, grant: Grant) -> None:
        period = self.period_of(draws_on(grant).first)
        self.grant[grant.id] = grant
        self.period[grant.id] = period
        self.basis[grant.id] = self.bases(draws_on(grant).last)
        try:
            shares = self.split(grant.id, grant.granted)
        except FinancingError as exc:  # pragma: no cover - the loader checked the split already
            self.problem(reference, exc.key, exc.message, exc.hint)
            return
        self.amount[grant.id] = grant.granted
        postings = self.commit(grant.id, period, shares)
        self.add(Transaction(date, "grant", reference, tuple(postings), stated, period, grant.id,
                             after={grant.id: grant.granted}, record=grant))

    def change(self, date: dt.date, reference: str, change: Change) -> None:
        problem = self.change_problem(change)
        if problem is not None:
            key, message, hint = problem
            self.problem(reference, key, message, hint)
            return
        period = self.period_of(draws_on(change).first)
        source = change.grant
        before = self.amount[source]
        postings: list[Posting] = []
        after: dict[str, Decimal] = {}
        if change.kind == "withdrawal":
            targets = {source: ZERO}
        elif change.kind == "top-up":
            targets = {source: before + change.amount}  # type: ignore[operator]
        elif change.kind == "reduction":
            targets = {source: before - change.amount}  # type: ignore[operator]
        else:
            target = change.to_grant
            targets = {source: before - change.amount, target: self.amount[target] + change.amount}  # type: ignore[operator, index, dict-item]
        try:
            new_shares = {gid: self.split(gid, amount) for gid, amount in targets.items()}  # type: ignore[arg-type]
        except FinancingError as exc:
            self.problem(reference, exc.key, exc.message, exc.hint)
            return
        for gid, amount in targets.items():
            postings += self.commit(gid, period, new_shares[gid])  # type: ignore[arg-type]
            if self.spent_total(gid):  # type: ignore[arg-type]
                postings += self.respend(gid, self.spent_total(gid), self._after(gid, postings))  # type: ignore[arg-type]
            self.amount[gid] = amount  # type: ignore[index]
            self.active_changes[gid].append(reference)  # type: ignore[index]
            self.change_count[gid] += 1  # type: ignore[index]
            after[gid] = amount  # type: ignore[index]
        if change.kind == "withdrawal":
            self.withdrawn.add(source)
        self.add(Transaction(date, "change", reference, tuple(postings), True, period, source, after=after, record=change))

    def change_problem(self, change: Change) -> tuple[str, Message, Message | None] | None:
        for key, gid in (("grant", change.grant), ("to_grant", change.to_grant)):
            if gid is None:
                continue
            if gid not in self.amount:
                if gid in self.annulled:
                    return key, Message("journal.change_to_annulled", grant=gid), None
                return key, Message("journal.change_before_grant", grant=gid, date=change.date), Message("journal.hint_check_date")
            if gid in self.withdrawn:
                return key, Message("journal.change_to_withdrawn", grant=self.grant[gid].name), Message("journal.hint_new_grant")
            if gid in self.closed:
                return key, Message("spending.grant_closed", grant=Verbatim(self.grant[gid].name), closing=self.closed[gid]), \
                    Message("spending.hint_annul_closing")
            decided = self.grant[gid].date
            if decided is not None and change.date < decided:
                return "decision.date", Message("journal.change_before_decision", grant=self.grant[gid].name,
                                                date=change.date, decided=decided), Message("journal.hint_check_date")
        if change.kind in ("reduction", "transfer") and change.amount > self.amount[change.grant]:  # type: ignore[operator]
            return "amount", Message("journal.below_zero", grant=self.grant[change.grant].name, amount=change.amount,
                                     current=self.amount[change.grant], date=change.date), Message("journal.hint_withdraw")
        spent = self.spent_total(change.grant)
        if spent and change.kind in ("reduction", "transfer", "withdrawal"):
            left = ZERO if change.kind == "withdrawal" else self.amount[change.grant] - change.amount  # type: ignore[operator]
            if left < spent:
                return "amount" if change.amount is not None else "kind", Message(
                    "spending.below_spent", grant=Verbatim(self.grant[change.grant].name), amount=left, spent=spent), \
                    Message("spending.hint_close_instead")
        return None

    def _after(self, grant_id: str, postings: list[Posting]) -> dict[str, Decimal]:
        """What is spent per holder on ``grant_id`` once ``postings`` (not yet added) apply."""
        spent = dict(self.spent.get(grant_id, {}))
        for posting in postings:
            if posting.account[0] == SPENT and posting.account[1] == grant_id:
                holder = posting.account[2]
                spent[holder] = spent.get(holder, ZERO) + posting.amount  # type: ignore[index]
        return spent  # type: ignore[return-value]

    def spending(self, date: dt.date, reference: str, spending: Spending) -> None:
        problem = self.grant_problem(spending.grant, date)
        if problem is None and not any(v > 0 for v in self.shares.get(spending.grant, {}).values()):
            problem = "grant", Message("spending.grant_empty", grant=Verbatim(self.grant[spending.grant].name)), None
        if problem is not None:
            self.problem(reference, *problem)
            return
        gid = spending.grant
        postings = self.respend(gid, self.spent_total(gid) + spending.amount)
        self.add(Transaction(date, "spending", reference, tuple(postings), True, self.period[gid], gid, record=spending))

    def closing(self, date: dt.date, reference: str, closing: GrantClosing) -> None:
        gid = closing.grant
        problem = self.grant_problem(gid, date)
        if problem is None and self.spent_total(gid) > self.amount[gid]:
            problem = "grant", Message("spending.close_overspent", grant=Verbatim(self.grant[gid].name),
                                       spent=self.spent_total(gid), amount=self.amount[gid]), Message("spending.hint_overspent")
        if problem is not None:
            self.problem(reference, *problem)
            return
        period = self.period_of(closing.year.first) if closing.year is not None else self.period[gid]
        postings = []
        for holder, amount in self.committed.get(gid, {}).items():
            if amount:
                postings.append(Posting((COMMITTED, gid, holder), -amount))
                postings.append(Posting((FUNDS, holder, period), amount))  # type: ignore[arg-type]
        self.closed[gid] = reference
        self.add(Transaction(date, "closing", reference, tuple(postings), True, period, gid, record=closing))

    def closeout(self, date: dt.date, reference: str, closeout: Closeout) -> None:
        in_force = [r for r in self.closeouts if r.split("/", 1)[1] not in self.reopened]
        if in_force:
            self.problem(reference, "date", Message("closeout.already_closed", closeout=in_force[-1]),
                         Message("closeout.hint_reopen"))
            return
        postings: list[Posting] = []
        # Where grants whose split is not stated are committed, what each partner has left is not
        # known (the period's total covers them): nothing is handed over from such a period.
        unknown = {period for (holder, period), amount in self.balances.items() if holder == UNATTRIBUTED and amount < 0}
        by_holder: dict[str, list[tuple[YearSpan, Decimal]]] = defaultdict(list)
        for (holder, period), amount in self.balances.items():
            if amount and period not in unknown:
                by_holder[holder].append((period, amount))
        for holder, balances in by_holder.items():
            successor = closeout.successors.get(holder, closeout.successor)
            net = sum((amount for _, amount in balances), ZERO)
            if successor is None or holder == UNATTRIBUTED or net <= 0:
                continue
            try:
                target = successor_id(successor)
            except IdError as exc:
                self.problem(reference, f"successors.{holder}", exc.message, exc.hint)
                return
            for period, amount in balances:
                postings.append(Posting((FUNDS, holder, period), -amount))
            postings.append(Posting((HANDED_OVER, holder, target), net))
        txn = Transaction(date, "closeout", reference, tuple(postings), True, record=closeout)
        self.closeouts[reference] = txn
        self.add(txn)

    def carryover(self, date: dt.date, reference: str, stated: bool, carryover: CarryOver) -> None:
        target = self.period_of(carryover.to_year)
        sources = [p for p in self.periods if p.overlaps(carryover.from_year) and p != target]
        if not sources:
            self.problem(reference, "from_year", Message("journal.carry_nothing_to_carry", from_year=str(carryover.from_year)),
                         None)
            return
        postings: list[Posting] = []
        if carryover.amount is not None:
            source = sources[-1]  # a stated amount is taken once, from the latest period it names
            holder = carryover.partner
            postings += [Posting((FUNDS, holder, source), -carryover.amount), Posting((FUNDS, holder, target), carryover.amount)]  # type: ignore[arg-type]
        else:
            for source in sources:
                holders = [carryover.partner] if carryover.partner else [h for (h, p) in self.balances if p == source]
                for holder in holders:
                    remainder = self.balances.get((holder, source), ZERO)  # type: ignore[arg-type]
                    if remainder:
                        postings += [Posting((FUNDS, holder, source), -remainder), Posting((FUNDS, holder, target), remainder)]  # type: ignore[arg-type]
        self.add(Transaction(date, "carryover", reference, tuple(postings), stated, target, record=carryover))

    def annulment(self, date: dt.date, reference: str, annulment: Annulment) -> None:
        target = self.by_ref.get(annulment.record)
        if target is None:
            # The annulled record has not happened yet on this date, or could not apply.
            self.problem(reference, "record", Message("journal.annul_before_record", record=annulment.record, date=date),
                         Message("journal.hint_check_date"))
            return
        gid = target.grant
        if target.kind == "grant" and self.active_changes.get(gid):  # type: ignore[arg-type]
            self.problem(reference, "record", Message("journal.annul_grant_with_changes", record=annulment.record,
                                                      changes=self.active_changes[gid]), Message("journal.hint_annul_changes_first"))  # type: ignore[index]
            return
        touched_grants = list(target.after) if target.kind == "change" else ([gid] if gid else [])
        if target.kind in ("grant", "change", "spending"):
            closed = [g for g in touched_grants if g in self.closed]
            if closed:
                self.problem(reference, "record", Message("spending.annul_closed", record=annulment.record,
                                                          closing=self.closed[closed[0]]), Message("spending.hint_annul_closing"))
                return
        if target.kind == "grant" and self.spent_total(gid):  # type: ignore[arg-type]
            self.problem(reference, "record", Message("spending.annul_grant_with_spending", record=annulment.record),
                         Message("spending.hint_annul_spending_first"))
            return
        if target.kind == "closeout" and target.ref.split("/", 1)[1] not in self.reopened:
            self.problem(reference, "record", Message("closeout.annul_in_force", record=annulment.record),
                         Message("closeout.hint_reopen"))
            return
        if target.kind == "change":
            for touched in target.after:
                if self.active_changes[touched] and self.active_changes[touched][-1] != target.ref:
                    self.problem(reference, "record", Message("journal.annul_not_latest", record=annulment.record,
                                                              later=self.active_changes[touched][-1]),
                                 Message("journal.hint_annul_changes_first"))
                    return
        postings = tuple(Posting(p.account, -p.amount) for p in target.postings)
        after: dict[str, Decimal] = {}
        if target.kind == "grant":
            self.amount.pop(gid, None)  # type: ignore[arg-type]
            self.shares[gid] = {}  # type: ignore[index]
            self.annulled.add(gid)  # type: ignore[arg-type]
            after[gid] = ZERO  # type: ignore[index]
        elif target.kind == "change":
            change: Change = target.record  # type: ignore[assignment]
            for touched in target.after:
                self.active_changes[touched].pop()
                self.change_count[touched] -= 1
                restored = _previous_amount(self.transactions, touched, target)
                self.amount[touched] = restored
                self.shares[touched] = _shares_from(self.shares[touched], target.postings, touched)
                after[touched] = restored
            if change.kind == "withdrawal":
                self.withdrawn.discard(change.grant)
        elif target.kind == "closing":
            self.closed.pop(gid, None)  # type: ignore[arg-type]
        elif target.kind == "closeout":
            self.closeouts.pop(target.ref, None)
        if target.kind in ("change", "spending"):
            # What stays spent is split again by the shares now in force.
            extra: list[Posting] = []
            for touched in touched_grants:
                spent = self._after(touched, list(postings) + extra)
                total = sum(spent.values(), ZERO)
                if total or any(spent.values()):
                    extra += self.respend(touched, total, spent)
            postings = postings + tuple(extra)
        self.add(Transaction(date, "annulment", reference, postings, True, target.period, gid, reverses=target.ref,
                             reversed_kind=target.kind, after=after, record=annulment))
        self.by_ref.pop(target.ref, None)

    def invoice(self, date: dt.date, reference: str, invoice: Invoice) -> None:
        self.add(_invoice_transaction(invoice, date, reference))

    def money_back_and_forth(self, date: dt.date, reference: str, record: Payment | Refund, kind: str) -> None:
        invoice = self.ledger.invoice(record.invoice)
        sign = -1 if kind == "payment" else 1
        amount = sign * record.amount
        postings = (Posting((RECEIVABLE, invoice.issuer, invoice.number), amount),  # type: ignore[union-attr]
                    Posting((PAYABLE, invoice.recipient, invoice.number), -amount))  # type: ignore[union-attr]
        self.add(Transaction(date, kind, reference, postings, True, None, invoice.grant, record=record))  # type: ignore[arg-type, union-attr]


def _invoice_transaction(invoice: Invoice, date: dt.date | None = None, reference: str | None = None) -> Transaction:
    """An invoice (or a credit note, on the invoice it credits) on the issuer's receivable and the recipient's payable."""
    number = invoice.credits if invoice.is_credit_note else invoice.number
    sign = -1 if invoice.is_credit_note else 1
    amount = sign * invoice.amount
    postings = (Posting((RECEIVABLE, invoice.issuer, number), amount), Posting((PAYABLE, invoice.recipient, number), -amount))  # type: ignore[arg-type]
    kind = "credit_note" if invoice.is_credit_note else "invoice"
    return Transaction(date or invoice.issue_date, kind, reference or ref("invoices", invoice.number), postings, True, None,
                       invoice.grant, record=invoice)


def _previous_amount(transactions: list[Transaction], grant_id: str, undone: Transaction) -> Decimal:
    """A grant's amount before ``undone``: its amount after the latest earlier change still in force."""
    amount = ZERO
    for txn in transactions:
        if txn is undone:
            break
        if grant_id in txn.after and txn.kind in ("grant", "change", "annulment"):
            amount = txn.after[grant_id]
    return amount


def _shares_from(current: dict[str, Decimal], postings: tuple[Posting, ...], grant_id: str) -> dict[str, Decimal]:
    """A grant's shares (committed plus spent) with the postings of one transaction taken back."""
    shares = dict(current)
    for posting in postings:
        if posting.account[0] in (COMMITTED, SPENT) and posting.account[1] == grant_id:
            holder = posting.account[2]
            shares[holder] = shares.get(holder, ZERO) - posting.amount
            if not shares[holder]:
                del shares[holder]
    return shares


def build_journal(ledger: Ledger) -> Journal:
    """The journal of a ledger: every record as dated postings, in one pass."""
    return _Builder(ledger).run()


# Transactions whose postings depend on the balances of funds when they apply: a carry-over
# of the remainder, a closeout handing everything over, and their annulments (which reverse
# what they moved). A new record moves balances that these would then move on.
BALANCE_DEPENDENT = frozenset({"carryover", "closeout"})


def moves_by_balance_from(journal: Journal, on: dt.date) -> bool:
    """Whether a transaction dated ``on`` or later moves money by the balances it finds."""
    return any(txn.date >= on and txn.effective_kind in BALANCE_DEPENDENT for txn in journal.transactions)


def _sort_key(txn: Transaction) -> tuple[dt.date, int, str]:
    """Where the build put ``txn``: records in date order, then by kind (``_ORDER``), then by reference."""
    kind = "invoice" if txn.kind == "credit_note" else txn.kind
    return txn.date, _ORDER[kind], txn.ref


def with_record(journal: Journal, ledger: Ledger, folder_name: str, record: object) -> Journal:
    """The journal of ``ledger``, which is ``journal``'s ledger with one new ``record`` (in
    ``folder_name``) added: exactly what :func:`build_journal` gives, built in one pass over
    the transactions instead of over the records when it can be.

    A new grant decided on ``D`` (or a new invoice or credit note) posts once and changes
    nothing that comes before it; after it, only transactions that move money by balances
    (carry-overs, closeouts and their annulments) would post differently, and a grant whose
    budget year changes the periods changes every period. In those cases, and for every
    other kind of record, the journal is built again from the records.
    """
    if folder_name == "invoices" and isinstance(record, Invoice):
        # An invoice or credit note posts on receivables and payables only, which nothing else reads.
        return _inserted(journal, _invoice_transaction(record), journal.grants)
    builder = _Builder(ledger)
    if builder.periods != journal.periods:
        return build_journal(ledger)
    if folder_name == "grants" and isinstance(record, Grant) and record.decision is not None \
            and record.id not in journal.grants and not moves_by_balance_from(journal, record.decision.date):
        reference = ref("grants", record.id)
        builder.grant_decision(record.decision.date, reference, True, record)
        if builder.problems or len(builder.transactions) != 1:
            return build_journal(ledger)
        state = GrantState(record.id, builder.amount[record.id], builder.period[record.id])
        # journal.grants follows the order the build met the grants in (the order of their events).
        order = {gid: _grant_key(ledger, builder, gid) for gid in journal.grants}
        key = _grant_key(ledger, builder, record.id)
        before = [gid for gid in journal.grants if order[gid] < key]
        grants = {gid: journal.grants[gid] for gid in before}
        grants[record.id] = state
        grants.update((gid, value) for gid, value in journal.grants.items() if gid not in grants)
    else:
        return build_journal(ledger)
    return _inserted(journal, builder.transactions[0], grants)


def _inserted(journal: Journal, txn: Transaction, grants: dict[str, GrantState]) -> Journal:
    transactions = list(journal.transactions)
    transactions.insert(bisect_right(transactions, _sort_key(txn), key=_sort_key), txn)
    return Journal(journal.cluster, journal.periods, tuple(transactions), grants, journal.problems)


def _grant_key(ledger: Ledger, builder: _Builder, grant_id: str) -> tuple[dt.date, int, str]:
    grant = ledger.grant(grant_id)
    assert grant is not None
    if grant.decision is not None:
        date = grant.decision.date
    else:
        date = dt.date(builder.period_of(draws_on(grant).first).first, 1, 1)
    return date, _ORDER["grant"], ref("grants", grant_id)
