"""Building the journal."""

MESSAGES = {
    "journal.change_to_annulled": ("bevillingen «{grant}» er annulleret", "the grant '{grant}' is annulled"),
    "journal.change_before_grant": ("ændringen {date} ligger før bevillingen «{grant}» blev besluttet",
                                    "the change on {date} comes before the grant '{grant}' was decided"),
    "journal.hint_check_date": ("kontrollér datoen", "check the date"),
    "journal.change_to_withdrawn": ("«{grant}» er trukket tilbage; en tilbagetrukket bevilling kan ikke ændres",
                                    "'{grant}' was withdrawn; a withdrawn grant cannot change"),
    "journal.hint_new_grant": ("registrér en ny bevilling i stedet", "record a new grant instead"),
    "journal.change_before_decision": ("ændringen er dateret {date}, før «{grant}» blev besluttet {decided}",
                                       "the change is dated {date}, before '{grant}' was decided on {decided}"),
    "journal.below_zero": ("trækker {amount} fra «{grant}», som {date} står på {current}",
                           "takes {amount} from '{grant}', which stands at {current} on {date}"),
    "journal.hint_withdraw": ("en bevilling kan ikke komme under nul; registrér en tilbagetrækning for at frigive det hele",
                              "a grant cannot go below zero; record a withdrawal to free all of it"),
    "journal.carry_nothing_to_carry": ("der er ingen midler i {from_year} at overføre", "there are no funds in {from_year} to carry"),
    "journal.annul_before_record": ("{record} er ikke registreret {date} eller kunne ikke bogføres", "{record} is not recorded by {date} or could not apply"),
    "journal.annul_grant_with_changes": ("{record} har ændringer, der stadig gælder: {changes}", "{record} has changes still in force: {changes}"),
    "journal.hint_annul_changes_first": ("annullér de senere ændringer først, den nyeste først", "annul the later changes first, newest first"),
    "journal.annul_not_latest": ("{record} er ikke den seneste ændring; {later} kom efter", "{record} is not the latest change; {later} came after it"),
}
