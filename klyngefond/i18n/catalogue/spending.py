"""Spending on grants (afrapportering) and closing a grant."""

MESSAGES = {
    # records and the journal
    "spending.period_half": ("perioden kræver både period_from og period_to", "the period needs both period_from and period_to"),
    "spending.hint_period": ("skriv perioden som --period 2026-01-01..2026-06-30", "write the period as --period 2026-01-01..2026-06-30"),
    "spending.period_backwards": ("perioden slutter {end}, før den begynder {start}", "the period ends on {end}, before it starts on {start}"),
    "spending.before_grant": ("{date} ligger før bevillingen «{grant}» blev besluttet",
                              "{date} comes before the grant '{grant}' was decided"),
    "spending.grant_withdrawn": ("«{grant}» er trukket tilbage; der er intet at forbruge eller lukke",
                                 "'{grant}' was withdrawn; there is nothing to spend or close"),
    "spending.grant_empty": ("«{grant}» står på 0,00 kr.; der kan ikke forbruges af den", "'{grant}' stands at 0.00; nothing can be spent on it"),
    "spending.grant_closed": ("«{grant}» er lukket ({closing})", "'{grant}' is closed ({closing})"),
    "spending.hint_annul_closing": ("annullér lukningen først, hvis bevillingen skal åbnes igen", "annul the closing first if the grant is to be opened again"),
    "spending.below_spent": ("«{grant}» ville stå på {amount}, men der er allerede forbrugt {spent}",
                             "'{grant}' would stand at {amount}, but {spent} is already spent"),
    "spending.hint_close_instead": ("luk bevillingen med klyngefond close-grant for at frigive det uforbrugte, eller annullér det forkerte forbrug",
                                    "close the grant with klyngefond close-grant to free what is unspent, or annul the wrong spending"),
    "spending.close_overspent": ("der er forbrugt {spent} af «{grant}», som står på {amount}; en overskredet bevilling kan ikke lukkes",
                                 "{spent} is spent on '{grant}', which stands at {amount}; an overspent grant cannot be closed"),
    "spending.hint_overspent": ("registrér en tillægsbevilling til det overskredne (klyngefond topup), eller annullér det forkerte forbrug",
                                "record a top-up for the excess (klyngefond topup), or annul the wrong spending"),
    "spending.annul_closed": ("{record} hører til en lukket bevilling ({closing})", "{record} belongs to a closed grant ({closing})"),
    "spending.annul_grant_with_spending": ("{record} har registreret forbrug", "{record} has recorded spending"),
    "spending.hint_annul_spending_first": ("annullér forbruget først", "annul the spending first"),
}
