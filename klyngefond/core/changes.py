"""The current state of each grant: its decision plus its later changes, in date order.

Pure. A grant's file is never rewritten after the decision; top-ups (*tillægsbevillinger*),
reductions, withdrawals and transfers are records of their own (``changes/*.toml``), so the
history is kept and the current amount is always recomputed from it:

* a top-up adds to the grant, a reduction takes from it (never below zero);
* a withdrawal sets the grant to zero and frees its money;
* a transfer reduces one grant and tops up another by the same amount on the same date.

Changes on the same date apply in the order of their ids. A change that cannot apply (an
unknown grant, a reduction below zero, a change to a withdrawn grant) is reported as an
issue and left out, so one bad file never hides the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.records import Change, Grant

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Step:
    """One change as it applied to one grant: the amount before and after."""

    change: Change
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class GrantState:
    """A grant as it stands after its changes. ``steps`` is its history, oldest first."""

    grant: Grant
    amount: Decimal
    withdrawn: bool = False
    steps: tuple[Step, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.steps)


@dataclass(frozen=True)
class ChangeIssue:
    """A change that could not apply: which change, which key, what is wrong, what to do."""

    change: Change
    key: str | None
    message: str
    hint: str = ""


def change_order(change: Change) -> tuple[dt.date, str]:
    return (change.date, change.id)


def apply_changes(
    grants: tuple[Grant, ...], changes: tuple[Change, ...]
) -> tuple[dict[str, GrantState], list[ChangeIssue]]:
    """Every grant's current state (by id), and the changes that could not apply."""
    states = {g.id: GrantState(g, g.granted) for g in grants}
    issues: list[ChangeIssue] = []
    for change in sorted(changes, key=change_order):
        problem = _check(change, states)
        if problem is not None:
            issues.append(problem)
            continue
        source = states[change.grant]
        if change.kind == "withdrawal":
            states[change.grant] = _step(source, change, ZERO, withdrawn=True)
        elif change.kind == "top-up":
            states[change.grant] = _step(source, change, source.amount + change.amount)  # type: ignore[operator]
        elif change.kind == "reduction":
            states[change.grant] = _step(source, change, source.amount - change.amount)  # type: ignore[operator]
        else:  # transfer
            target = states[change.to_grant]  # type: ignore[index]
            states[change.grant] = _step(source, change, source.amount - change.amount)  # type: ignore[operator]
            states[target.grant.id] = _step(target, change, target.amount + change.amount)  # type: ignore[operator]
    return states, issues


def _step(state: GrantState, change: Change, after: Decimal, withdrawn: bool = False) -> GrantState:
    return GrantState(state.grant, after, state.withdrawn or withdrawn, state.steps + (Step(change, state.amount, after),))


def _check(change: Change, states: dict[str, GrantState]) -> ChangeIssue | None:
    known = ", ".join(sorted(states)) or "(none)"
    if change.to_grant is not None and change.to_grant == change.grant:
        return ChangeIssue(change, "to_grant", "a transfer must move money to another grant")
    for key, grant_id in (("grant", change.grant), ("to_grant", change.to_grant)):
        if grant_id is not None and grant_id not in states:
            return ChangeIssue(change, key, f"unknown grant {grant_id!r}", f"known grants: {known}")
    for key, grant_id in (("grant", change.grant), ("to_grant", change.to_grant)):
        if grant_id is None:
            continue
        state = states[grant_id]
        if state.withdrawn:
            return ChangeIssue(change, key, f"the grant {grant_id!r} was withdrawn earlier; a withdrawn grant cannot change",
                               "record a new grant instead")
        decided = state.grant.decision.date if state.grant.decision else None
        if decided is not None and change.date < decided:
            return ChangeIssue(change, "decision.date",
                               f"the change is dated {change.date}, before {grant_id!r} was decided on {decided}",
                               "check the date")
    source = states[change.grant]
    if change.kind in ("reduction", "transfer") and change.amount > source.amount:  # type: ignore[operator]
        what = "reduces" if change.kind == "reduction" else "moves"
        return ChangeIssue(change, "amount",
                           f"{what} {change.amount} from {change.grant!r}, which stands at {source.amount} on {change.date}",
                           "a grant cannot go below zero; to free all of it, record a withdrawal")
    return None
