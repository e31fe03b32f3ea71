"""`klyngefond applications`: applied against granted."""

MESSAGES = {
    "applications.help": ("Ansøgt og tildelt beløb pr. bevilling med difference; totalen sammenligner kun bevillinger, hvor begge beløb kendes.",
                          "Applied and granted amounts per grant with the difference; the total compares only grants for which both amounts are known."),
    "applications.example": ("Eksempler: klyngefond applications Slagelse · klyngefond applications Slagelse --year 2023 --json",
                             "Examples: klyngefond applications Slagelse · klyngefond applications Slagelse --year 2023 --json"),
    "applications.title": ("{cluster} — ansøgt og tildelt", "{cluster} — applied and granted"),
    "applications.col_applied": ("Ansøgt", "Applied"),
    "applications.col_granted": ("Tildelt", "Granted"),
    "applications.col_difference": ("Forskel", "Difference"),
    "applications.col_now": ("Nu", "Now"),
    "applications.total_compared": ("I alt, bevillinger med ansøgt beløb", "Total, grants with an applied amount"),
    "applications.none": ("Der er ingen bevillinger i visningen.", "There are no grants in the view."),
    "applications.without_applied": ("{count:bevilling|bevillinger} uden ansøgt beløb indgår ikke i totalen: {names}. Tildelt i alt for alle bevillinger: {granted_all}",
                                     "{count:grant|grants} without an applied amount are left out of the total: {names}. Granted in total for every grant: {granted_all}"),
    "applications.now_note": ("«Nu» er bevillingens beløb efter senere ændringer (se klyngefond log); ansøgt og tildelt er beløbene ved beslutningen.",
                              "'Now' is the grant's amount after later changes (see klyngefond log); applied and granted are the amounts when it was decided."),
}
