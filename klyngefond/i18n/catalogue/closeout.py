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
    "closeout.books_closed": ("regnskabet for {cluster} er afsluttet pr. {date} ({file}); intet kan registreres, før det er genåbnet",
                              "the books of {cluster} were closed on {date} ({file}); nothing can be recorded until they are reopened"),
    "closeout.hint_reopen_command": ("genåbn regnskabet med: klyngefond reopen {cluster} --date ÅÅÅÅ-MM-DD --reason \"…\" --record",
                                     "reopen the books with: klyngefond reopen {cluster} --date YYYY-MM-DD --reason \"…\" --record"),
    "closeout.col_handed_over": ("Overdraget", "Handed over"),
}
