"""Dates: reading what people and files write."""

MESSAGES = {
    "dates.not_a_date": ("{value} er ikke en dato", "{value} is not a date"),
    "dates.has_time": ("{value} har et klokkeslæt; skriv kun datoen", "{value} has a time of day; write the date only"),
    "dates.out_of_bounds": ("{value} ligger uden for årene {first}–{last}", "{value} lies outside the years {first}–{last}"),
    "dates.hint": ("skriv datoen som 2024-03-01 (år-måned-dag) eller 01-03-2024",
                   "write the date as 2024-03-01 (year-month-day) or 01-03-2024"),
    "dates.hint_toml": ("skriv datoen uden anførselstegn: 2024-03-01", "write the date without quotes: 2024-03-01"),
}
