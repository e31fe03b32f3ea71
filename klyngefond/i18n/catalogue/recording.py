"""Recording decisions."""

MESSAGES = {
    "recording.id_taken": ("id'et «{id}» er allerede brugt i {folder}/", "the id '{id}' is already used in {folder}/"),
    "recording.duplicate": ("den samme beslutning er allerede registreret i {file}; intet er gemt",
                            "the same decision is already recorded in {file}; nothing was saved"),
    "recording.hint_duplicate": ("er den forkert, så annullér den med klyngefond annul og registrér den igen; er det en ny beslutning, så gem med --override \"begrundelse\"",
                                 "if it is wrong, annul it with klyngefond annul and record it again; if it is a new decision, record with --override \"reason\""),
    "recording.refused": ("afvist: registreringen bryder regnskabets regler; intet er gemt:", "refused: the record breaks the ledger's rules; nothing was saved:"),
    "recording.hint_override": ("ret det, der er galt, eller gem alligevel med --override \"begrundelse\" (begrundelsen gemmes i registreringen)",
                                "correct what is wrong, or record anyway with --override \"reason\" (the reason is stored in the record)"),
    "recording.raced": ("en anden har netop gemt en registrering med id'et «{id}»", "someone else just saved a record with the id '{id}'"),
    "recording.hint_raced": ("kør kommandoen igen", "run the command again"),
    "recording.header": ("Skrevet af `klyngefond {command}` {stamp}.\nEn registrering: ret den ikke. En senere ændring registreres som sin egen fil,\nog en fejl rettes med klyngefond annul, så historikken bevares.",
                       "Written by `klyngefond {command}` on {stamp}.\nA record: do not edit it. Record later changes as their own files,\nand correct a mistake with klyngefond annul, so that the history is kept."),
}
