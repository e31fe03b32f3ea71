"""Closing a cluster's books: the closing statement, the settlement, the handover and reopening."""

MESSAGES = {
    # records and the journal
    "closeout.transfer_to_itself": ("en part kan ikke betale til sig selv", "a partner cannot pay itself"),
    "closeout.unknown_closeout": ("ukendt regnskabsafslutning «{id}»", "unknown closeout '{id}'"),
    "closeout.hint_cannot_annul_reopening": ("luk regnskabet igen med klyngefond closeout --record", "close the books again with klyngefond closeout --record"),
    "closeout.already_closed": ("regnskabet er allerede afsluttet ({closeout})", "the books are already closed ({closeout})"),
    "closeout.hint_reopen": ("genåbn regnskabet med klyngefond reopen, hvis der skal rettes i det", "reopen the books with klyngefond reopen if they need correcting"),
    "closeout.annul_in_force": ("{record} lukker stadig regnskabet", "{record} still keeps the books closed"),
    "closeout.dated_after": ("{record} er dateret {date}, efter at regnskabet blev afsluttet {closed} ({closeout})",
                             "{record} is dated {date}, after the books were closed on {closed} ({closeout})"),
}
