"""The carry-over command."""

MESSAGES = {
    "carryover.help": ("Overfør uforbrugte midler fra et budgetår eller en periode til et senere år. Uden --amount overføres hele restbeløbet for hver part (eller for --partner).",
                       "Carry unspent funds from a budget year or period into a later year. Without --amount each partner's whole remainder is carried (or that of --partner)."),
    "carryover.example": ('Eksempler:\n  klyngefond carryover Sydvestjylland --from 2022-2023 --to 2024\n  klyngefond carryover Sydvestjylland --from 2022-2023 --to 2024 --record --date 2024-03-01 --level politisk',
                         'Examples:\n  klyngefond carryover Sydvestjylland --from 2022-2023 --to 2024\n  klyngefond carryover Sydvestjylland --from 2022-2023 --to 2024 --record --date 2024-03-01 --level politisk'),
    "carryover.backwards": ("--to {to_year} skal ligge efter --from {from_year}", "--to {to_year} must come after --from {from_year}"),
    "carryover.amount_needs_partner": ("--amount kræver --partner: et bestemt beløb overføres for én part; uden --amount overføres hele restbeløbet",
                                       "--amount needs --partner: a given amount is carried for one partner; without --amount the whole remainder is carried"),
    "carryover.help_from": ("Året eller perioden, midlerne overføres fra (fx 2022-2023).", "The year or period the funds come from (e.g. 2022-2023)."),
    "carryover.help_to": ("Året, midlerne overføres til.", "The year the funds go to."),
    "carryover.help_partner": ("Kun denne part (eller gruppe).", "Only this partner (or group)."),
    "carryover.help_amount": ("Et bestemt beløb (kræver --partner); standard: hele restbeløbet.", "A given amount (needs --partner); default: the whole remainder."),
    "carryover.help_stated": ("Det samlede beløb, beslutningen oplyser, til kontrol.", "The total the decision states, to check against."),
}
