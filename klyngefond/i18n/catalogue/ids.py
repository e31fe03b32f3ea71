"""Ids: the names of files and records."""

MESSAGES = {
    "ids.no_letters": ("kan ikke lave et id af {text}: der er ingen bogstaver eller cifre",
                       "cannot make an id from {text}: it has no letters or digits"),
    "ids.hint_give_id": ("angiv id'et selv, fx --id kom-trygt-hjem", "give the id yourself, e.g. --id kom-trygt-hjem"),
    "ids.not_text": ("{what} {value} er ikke tekst", "{what} {value} is not text"),
    "ids.invalid": ("{what} «{value}» {problem}", "{what} '{value}' {problem}"),
    "ids.rule": ("et id må kun indeholde små bogstaver a-z, cifrene 0-9 og «-», skal begynde med et bogstav eller ciffer og højst være 80 tegn",
                 "an id may contain only lowercase letters a-z, digits 0-9 and '-', must start with a letter or digit and be at most 80 characters"),
    "ids.hint_try": ("prøv «{suggestion}»", "try '{suggestion}'"),
    "ids.problem_empty": ("er tomt", "is empty"),
    "ids.problem_nul": ("indeholder et NUL-tegn", "contains a NUL character"),
    "ids.problem_control": ("indeholder styretegn", "contains control characters"),
    "ids.problem_separator": ("indeholder en skråstreg («/» eller «\\»)", "contains a path separator ('/' or '\\')"),
    "ids.problem_dots": ("indeholder «..»", "contains '..'"),
    "ids.problem_dot_start": ("begynder med et punktum", "starts with a dot"),
    "ids.problem_whitespace": ("indeholder mellemrum", "contains whitespace"),
    "ids.problem_uppercase": ("indeholder store bogstaver", "contains uppercase letters"),
    "ids.problem_dash_start": ("begynder med «-»", "starts with '-'"),
    "ids.problem_too_long": ("er længere end {limit} tegn", "is longer than {limit} characters"),
    "ids.problem_characters": ("indeholder tegn, der ikke er tilladt: {characters}", "contains characters that are not allowed: {characters}"),
}
