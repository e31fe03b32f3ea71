"""Amounts: reading what people and files write."""

MESSAGES = {
    "money.not_an_amount": ("{value} er ikke et beløb", "{value} is not an amount"),
    "money.not_a_number": ("{value} er ikke et tal", "{value} is not a number"),
    "money.too_large": ("{value} er større end {limit}, som er det største beløb klyngefond regner med",
                        "{value} is larger than {limit}, the largest amount klyngefond works with"),
    "money.too_many_decimals": ("{value} har mere end to decimaler (øre)", "{value} has more than two decimals (øre)"),
    "money.negative": ("{value} er negativt", "{value} is negative"),
    "money.zero": ("{value} er nul", "{value} is zero"),
    "money.hint_toml": ('skriv hele kroner som et tal (1874400) eller kroner og øre i anførselstegn ("627851.18")',
                        'write whole kroner as a number (1874400) or kroner and øre in quotes ("627851.18")'),
    "money.hint_user": ("skriv fx 1000000, 1.000.000, 1.000.000,50 eller 1000000.50",
                        "write e.g. 1000000, 1.000.000, 1.000.000,50 or 1000000.50"),
    "money.hint_positive": ("beløb skrives som positive tal", "amounts are written as positive numbers"),
    "money.hint_above_zero": ("angiv et beløb over 0 kr.", "give an amount above DKK 0"),
}
