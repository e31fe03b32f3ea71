"""One language per run: every help screen and every complaint of the argument parser is Danish
by default and English with --lang en or KLYNGEFOND_LANG=en, typer's and click's own words included."""

from __future__ import annotations

import re

import pytest

from klyngefond.cli.main import available
from klyngefond.cli.registry import COMMANDS

COMMAND_NAMES = [name for name in COMMANDS if available(name)]

# Words that give a language away. Option names (--as-of), environment variables, quoted
# names and the example command lines are taken out before looking.
ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Show", "Try", "default", "required", "env var", "help",
           "TEXT", "PATH", "INTEGER", "FILE", "DIR", "Install", "completion", "shell", "Example", "Examples", "Error",
           "the", "and", "or", "of", "with", "is", "not", "this", "message", "exit", "missing", "unknown",
           "no such", "invalid", "see"]
DANISH = ["Brug", "Tilvalg", "Argumenter", "Kommandoer", "Vis", "standard", "skal", "angives", "miljøvariabel",
          "Eksempel", "Eksempler", "og", "eller", "af", "til", "med", "ikke", "der", "det", "den", "som", "hjælp",
          "KLYNGE", "DATO", "BELØB", "TEKST", "MAPPE", "SPROG", "BEVILLING", "ukendt", "mangler", "se"]


def prose(text: str) -> str:
    """The words a person reads as sentences: no examples, option names, variables or quoted names."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("klyngefond ")]
    text = "\n".join(lines)
    text = re.sub(r'"[^"]*"|«[^»]*»|\'[^\']*\'', " ", text)
    text = re.sub(r"(?<!\w)-{1,2}[\w-]+(=\S*)?", " ", text)  # --as-of, -h
    text = re.sub(r"\b[A-Z]+_[A-Z_]+\b", " ", text)  # KLYNGEFOND_DATA
    text = re.sub(r"\S+/\S+", " ", text)  # paths and folder/id references
    return text


def tells(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(r"(?<![\wæøåÆØÅ])" + re.escape(w) + r"(?![\wæøåÆØÅ])", text)]


def assert_one_language(text: str, lang: str) -> None:
    body = prose(text)
    found = tells(body, ENGLISH if lang == "da" else DANISH)
    if lang == "en":
        found += re.findall(r"[æøåÆØÅ]\w*", body)
    assert not found, f"{lang} output has words of the other language: {found}\n{text}"


LANG_ARGS = {"da": ((), {}), "en-option": (("--lang", "en"), {}), "en-env": ((), {"KLYNGEFOND_LANG": "en"})}


@pytest.mark.parametrize("how", list(LANG_ARGS))
@pytest.mark.parametrize("command", [None, *COMMAND_NAMES])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_help_screen_is_in_one_language_and_shows_an_example(cli, command, flag, how) -> None:  # type: ignore[no-untyped-def]
    extra, env = LANG_ARGS[how]
    lang = "da" if how == "da" else "en"
    args = ([command] if command else []) + [flag] + list(extra)
    result = cli(*args, env=env)
    assert result.code == 0, result.err
    assert result.err == ""
    usage = "Brug: klyngefond" if lang == "da" else "Usage: klyngefond"
    assert result.out.startswith(usage + (f" {command} " if command else " ")), result.out
    heading = "(Eksempel|Eksempler)" if lang == "da" else "(Example|Examples)"
    assert re.search(rf"^{heading}:\n  klyngefond {command or ''}", result.out, re.M), result.out
    assert_one_language(result.out, lang)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_language_option_may_stand_before_the_command(cli, lang) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", lang, "status", "--help")
    assert result.out.startswith("Brug:" if lang == "da" else "Usage:")
    status = cli("--lang", lang, "status", "Sydvestjylland")
    assert ("Resterende" if lang == "da" else "Remaining") in status.out


def test_no_arguments_show_the_help_with_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli()
    assert result.code == 2
    assert result.err.startswith("Brug: klyngefond [TILVALG] KOMMANDO")
    assert_one_language(result.err, "da")
    english = cli("--lang", "en")
    assert english.code == 2 and english.err.startswith("Usage: klyngefond [OPTIONS] COMMAND")
    assert_one_language(english.err, "en")


USAGE_ERRORS = [
    (["status", "--bogus"], "ukendt tilvalg --bogus", "no such option --bogus"),
    (["status"], "KLYNGE mangler", "CLUSTER is missing"),
    (["statu"], "mente du status?", "did you mean status?"),
    (["bogus"], "ukendt kommando «bogus»", "no such command 'bogus'"),
    (["status", "Sydvestjylland", "--year"], "--year skal have en værdi", "--year needs a value"),
    (["status", "Sydvestjylland", "--json=ja"], "--json tager ingen værdi", "--json takes no value"),
    (["status", "Sydvestjylland", "extra"], "uventet ekstra argument: extra", "unexpected extra argument: extra"),
    (["allocate", "Sydvestjylland", "--name", "X", "--owner", "esbjerg"], "tilvalget --amount mangler",
     "the option --amount is missing"),
    (["status", "Sydvestjylland", "--lang", "fr"], "ukendt sprog «fr»", None),
    (["--show-completion", "tcsh"], "ukendt skal «tcsh»", "unknown shell 'tcsh'"),
    # pay, refund and spend record at once; --record out of habit is explained, not just refused
    (["spend", "Vesterhavet", "akutteam", "100", "--date", "2024-06-30", "--record"],
     "klyngefond spend gemmer med det samme, uden --record", "klyngefond spend records at once, without --record"),
    (["pay", "HAV-2024-0001", "--record"], "klyngefond pay gemmer med det samme", "klyngefond pay records at once"),
]


def test_record_on_a_reading_command_is_only_unknown(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("status", "Sydvestjylland", "--record")
    assert result.code == 2 and "ukendt tilvalg --record" in result.err and "gemmer med det samme" not in result.err


@pytest.mark.parametrize(("args", "danish", "english"), USAGE_ERRORS)
def test_the_argument_parser_complains_in_the_run_language(cli, args, danish, english) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 2
    assert danish in result.err
    assert_one_language(result.err, "da")
    if english is not None:
        result = cli(*args, env={"KLYNGEFOND_LANG": "en"})
        assert result.code == 2
        assert english in result.err
        assert_one_language(result.err, "en")


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    from klyngefond import __version__

    for flag in ("--version", "-V"):
        result = cli(flag)
        assert result.code == 0 and result.out.strip() == f"klyngefond {__version__}"


def test_shell_completion_script_and_answers(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    script = cli("--show-completion", "bash")
    assert script.code == 0
    assert "_KLYNGEFOND_COMPLETE=complete_bash" in script.out and "complete -o default -F" in script.out

    def complete(words: str, cword: int) -> list[str]:
        monkeypatch.setenv("_KLYNGEFOND_COMPLETE", "complete_bash")
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(cword))
        try:
            result = cli()
        finally:
            monkeypatch.delenv("_KLYNGEFOND_COMPLETE")
        assert result.code == 0, result.err
        return result.out.split()

    assert complete("klyngefond st", 1) == ["status"]
    assert "sydvestjylland" in complete("klyngefond status syd", 2)
    assert complete("klyngefond status sydvestjylland --ye", 3) == ["--year"]
