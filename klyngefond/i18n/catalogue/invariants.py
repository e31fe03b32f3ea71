"""Rules the journal must satisfy."""

MESSAGES = {
    "invariants.overridden": ("{problem} Registreret alligevel med begrundelsen: «{reason}».",
                              "{problem} Recorded anyway with the reason: '{reason}'."),
    "invariants.below_zero": ("{holder} mangler {missing} i {period} efter {record} ({date}).",
                              "{holder} is short by {missing} in {period} after {record} ({date})."),
    "invariants.hint_below_zero": ("sænk beløbet, lad beslutningen bruge et andet års midler (--year), overfør midler til perioden, eller annullér registreringen",
                                   "lower the amount, let the decision use another year's funds (--year), carry funds into the period, or annul the record"),
    "invariants.total_below_zero": ("Klyngens parter mangler tilsammen {missing} i {period} efter {record} ({date}).",
                                    "The cluster's partners together are short by {missing} in {period} after {record} ({date})."),
    "invariants.hint_total_below_zero": ("bevillinger uden kendt fordeling skal dækkes af periodens samlede midler",
                                         "grants without a known split must be covered by the period's total funds"),
    "invariants.overpaid": ("betalingen af {amount} på {invoice} ({date}) er mere end de {open}, der var åbne",
                            "the payment of {amount} on {invoice} ({date}) is more than the {open} that was open"),
    "invariants.over_refunded": ("tilbagebetalingen af {amount} på {invoice} ({date}) er mere end de {owed}, der skulle betales tilbage",
                                 "the refund of {amount} on {invoice} ({date}) is more than the {owed} owed back"),
    "invariants.future": ("{record} er dateret {date}, som ligger i fremtiden", "{record} is dated {date}, which is in the future"),
    "invariants.hint_future": ('ret datoen; en fremtidig dato skal have en begrundelse (--override "…", eller override = "…" i filen)',
                               'correct the date; a date in the future needs a reason (--override "…", or override = "…" in the file)'),
}
