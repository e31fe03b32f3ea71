"""The language of the run, chosen before the command line is parsed, and every word of the help screens.

``--lang en`` may stand anywhere on the command line; without it ``KLYNGEFOND_LANG``
decides, and Danish is the default. Knowing the language first lets every command's help
text and every error of the argument parser be worded in it.

The help screens are typer's plain (click) layout, never its rich panels, and every word
typer and click add themselves is worded here, in one place:

* the headings and the ``[default: …]``, ``[env var: …]`` and ``[required]`` marks come from
  typer's ``gettext`` hook (``typer.core._``), which :func:`install` points at the catalogue;
* ``Usage:``, ``[OPTIONS]``, ``COMMAND [ARGS]...``, the help option's "Show this message and
  exit.", the type names (``TEXT``, ``PATH``) and the examples below the options are worded
  by :class:`LocalisedHelp`, mixed into the class of every command (the root group's
  ``LazyCommands`` and each subcommand built by :func:`command_from`);
* the argument parser's complaints are reworded by :func:`usage_error`.
"""

from __future__ import annotations

import copy
import difflib
import importlib
import importlib.util
import re
import sys
from typing import Any

import typer.core
import typer.main
from typer._click import exceptions as ex
from typer._click.core import Command
from typer.core import TyperCommand, TyperGroup

from klyngefond.cli.registry import COMMANDS
from klyngefond.i18n import DEFAULT_LANG, LANGS, Message, lang_from_env, t

_current = DEFAULT_LANG


def current() -> str:
    return _current


def choose(args: list[str]) -> str:
    """The language named by ``--lang X`` / ``--lang=X`` in ``args``, else the environment's."""
    global _current
    lang = lang_from_env()
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None and value.strip().lower() in LANGS:
            lang = value.strip().lower()
    _current = lang
    return lang


def help_text(key: str, **params: Any) -> str:
    """A help text in the run's language (used when a command module is imported)."""
    return t(key, _current, **params)


# --------------------------------------------------------------------------- typer's and click's own words

# typer's gettext message ids -> catalogue keys. "No such command" and "Missing command" stay
# English: usage_error() recognises them and words its own message.
TYPER_WORDS = {
    "Arguments": "cli.panel_arguments",
    "Options": "cli.panel_options",
    "Commands": "cli.panel_commands",
    "default: {default}": "cli.help_default",
    "env var: {var}": "cli.help_envvar",
    "required": "cli.help_required",
    "(dynamic)": "cli.help_dynamic",
    "(deprecated) ": "cli.help_deprecated",
}

# click's type names, shown after an option that takes a value but names no metavar.
TYPE_METAVARS = {"text": "cli.metavar_text", "path": "cli.metavar_path", "integer": "cli.metavar_integer",
                 "float": "cli.metavar_number", "boolean": "cli.metavar_boolean", "file": "cli.metavar_file"}

_installed = False


def _gettext(message: str) -> str:
    key = TYPER_WORDS.get(message)
    return t(key, _current) if key is not None else message


def install() -> None:
    """Point typer's gettext hook at the catalogue (once; it words in the run's language when called)."""
    global _installed
    if _installed:
        return
    typer.core._ = _gettext  # type: ignore[attr-defined]
    _installed = True


class LocalisedHelp:
    """Mixed into every command class: the help screen in the run's language, plain text, examples unwrapped."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("cli.usage", _current) + " ")

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [_usage_piece(piece) for piece in pieces]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("cli.help_help", _current)
        return option

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            _localise_metavar(param)
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # typer's plain layout (click's), never the rich panels: one layout, every word ours.
        install()
        if getattr(ctx, "obj", None) is None:
            ctx.ensure_object(dict)
        Command.format_help(self, ctx, formatter)  # type: ignore[arg-type]

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The examples, one command per line and never rewrapped, so they can be copied."""
        epilog = getattr(self, "epilog", None)
        if not epilog:
            return
        formatter.write_paragraph()
        for line in _example_lines(epilog):
            if len(line) <= formatter.width or line.lstrip().startswith(("klyngefond ", "$ ")):
                formatter.write(line.rstrip() + "\n")
            else:
                formatter.write_text(line)


def _example_lines(epilog: str) -> list[str]:
    """The examples one per line under their heading; ``Eksempler: a · b`` on one line is laid out so too."""
    lines: list[str] = []
    for line in epilog.strip("\n").splitlines():
        found = re.fullmatch(r"(\w[\w ]{0,20}):\s+(klyngefond .*)", line.strip())
        if found:
            lines.append(found.group(1) + ":")
            lines += ["  " + command.strip() for command in found.group(2).split(" · ")]
        else:
            lines.append(line.rstrip())
    return lines


def _usage_piece(piece: str) -> str:
    if piece == "[OPTIONS]":
        return t("cli.usage_options", _current)
    if piece == "COMMAND [ARGS]...":
        return t("cli.usage_command", _current)
    if piece.startswith("{") and piece.endswith("}"):
        return piece[1:-1]  # typer marks a required argument {NAME}; the convention is NAME
    return piece


def _localise_metavar(param: Any) -> None:
    if getattr(param, "metavar", None) is not None or getattr(param, "is_flag", False) or getattr(param, "count", False):
        return
    if getattr(param, "param_type_name", "") != "option":
        return
    key = TYPE_METAVARS.get(getattr(param.type, "name", ""), "cli.metavar_text")
    param.metavar = t(key, _current)


_CLASSES: dict[type, type] = {}


def localised(cls: type) -> type:
    """``cls`` with :class:`LocalisedHelp` mixed in (made once per class)."""
    if issubclass(cls, LocalisedHelp):
        return cls
    found = _CLASSES.get(cls)
    if found is None:
        found = _CLASSES[cls] = type(f"Localised{cls.__name__}", (LocalisedHelp, cls), {})
    return found


def import_command(module_name: str) -> Any:
    """Import a command module, its help worded in the run's language.

    Help texts are worded when a module is imported. One run is one language, but a process
    that runs several (the tests, the README check) re-imports the shared options and the
    command modules when the language has changed since they were worded.
    """
    options = sys.modules.get("klyngefond.cli.options")
    if options is not None and getattr(options, "HELP_LANG", _current) != _current:
        importlib.reload(options)
        for loaded in [m for n, m in sys.modules.items() if n.startswith("klyngefond.cli.commands.") and m is not None]:
            importlib.reload(loaded)
    return importlib.import_module(module_name)


def command_from(app: Any, name: str) -> Any:
    """The click command ``name`` of a command module's ``typer.Typer`` app, built with localised help.

    Only that command is built (a module may define several), without typer's completion
    options (the root has its own) and without rich formatting.
    """
    for info in app.registered_commands:
        info_name = info.name or typer.main.get_command_name(info.callback.__name__)
        if info_name == name:
            chosen = copy.copy(info)
            chosen.cls = localised(info.cls or TyperCommand)
            return typer.main.get_command_from_info(chosen, pretty_exceptions_short=True, rich_markup_mode=None)
    command = typer.main.get_command(app)  # a command module that is a group of its own
    if isinstance(command, TyperGroup):
        command = command.commands.get(name)
    if command is not None:
        command.__class__ = localised(type(command))
        command.rich_markup_mode = None
        command.params = [p for p in command.params if p.name not in ("install_completion", "show_completion")]
    return command


# --------------------------------------------------------------------------- the argument parser's complaints


# Commands that record a fact as soon as it is given (a payment, a refund, spending reported),
# unlike decisions, which are shown first and stored with --record.
RECORDS_AT_ONCE = ("pay", "refund", "spend")


def usage_error(exc: Any, lang: str, args: list[str] | None = None) -> tuple[Message, tuple[Message, ...]]:
    """The argument parser's complaint, worded in ``lang`` (``args``: the command line, to name the command)."""
    if getattr(exc, "ctx", None) is not None:
        command = exc.ctx.command_path
    else:
        named = next((arg for arg in args or [] if arg in COMMANDS), None)
        command = f"klyngefond {named}" if named else "klyngefond"
    hint = Message("cli.hint_help", command=command)
    offending = getattr(exc, "option_name", None) or ""
    if not offending and str(getattr(exc, "message", "")).startswith("Got unexpected extra argument"):
        offending = str(exc.message).rsplit("(", 1)[-1].rstrip(") ")
    if offending == "--record" and command.rsplit(" ", 1)[-1] in RECORDS_AT_ONCE:
        return Message("cli.no_such_option", option="--record"), (Message("cli.hint_records_at_once", command=command), hint)
    if isinstance(exc, ex.NoSuchOption):
        details = [Message("cli.did_you_mean", options=list(exc.possibilities))] if exc.possibilities else []
        return Message("cli.no_such_option", option=exc.option_name), (*details, hint)
    if isinstance(exc, ex.MissingParameter):
        param = exc.param
        name = _param_name(param)
        key = "cli.missing_argument" if getattr(param, "param_type_name", "") == "argument" else "cli.missing_parameter"
        return Message(key, name=name), (hint,)
    if isinstance(exc, ex.BadOptionUsage):
        if "does not take a value" in str(exc.message):
            return Message("cli.option_takes_no_value", option=exc.option_name), (hint,)
        return Message("cli.option_needs_value", option=exc.option_name), (hint,)
    if isinstance(exc, ex.BadParameter):
        return Message("cli.bad_parameter", name=_param_name(exc.param), reason=exc.message), (hint,)
    message = str(exc.message)
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        known = [c for c, (module, _) in COMMANDS.items() if importlib.util.find_spec(f"klyngefond.cli.commands.{module}")]
        close = difflib.get_close_matches(name, known, n=3)
        details = [Message("cli.did_you_mean", options=close)] if close else []
        return Message("cli.no_such_command", name=name), (*details, Message("cli.hint_help", command="klyngefond"))
    if message.startswith("Got unexpected extra argument"):
        found = re.search(r"\(([^()]*)\)\s*$", message)
        extra = found.group(1) if found else message
        return Message("cli.extra_argument", argument=extra), (hint,)
    if message.startswith("Missing command"):
        return Message("cli.missing_command"), (Message("cli.hint_help", command="klyngefond"),)
    return Message("cli.usage_other", message=message), (hint,)


def _param_name(param: Any) -> str:
    if param is None:
        return "?"
    opts = getattr(param, "opts", None) or []
    long = [o for o in opts if o.startswith("--")]
    if long:
        return long[0]
    metavar = getattr(param, "metavar", None)
    if metavar:
        return metavar
    return (getattr(param, "name", None) or "?").upper()
