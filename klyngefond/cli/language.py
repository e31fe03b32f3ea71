"""The language of the run, chosen before the command line is parsed, and the words of the help screens.

``--lang en`` may stand anywhere on the command line; without it ``KLYNGEFOND_LANG``
decides, and Danish is the default. Knowing the language first lets every command's help
text and every error of the argument parser be worded in it.
"""

from __future__ import annotations

from typing import Any

from klyngefond.i18n import DEFAULT_LANG, LANGS, Message, lang_from_env, t

_current = DEFAULT_LANG


def current() -> str:
    return _current


def choose(args: list[str]) -> str:
    """The language named by ``--lang X`` / ``--lang=X`` in ``args``, else the environment's."""
    global _current
    lang = lang_from_env()
    for index, arg in enumerate(args):
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


def translate_help(lang: str) -> None:
    """Word typer's help screen headings in ``lang`` (they are module constants in typer)."""
    if lang == "en":
        return
    import typer.rich_utils as ru

    ru.ARGUMENTS_PANEL_TITLE = t("cli.panel_arguments", lang)
    ru.OPTIONS_PANEL_TITLE = t("cli.panel_options", lang)
    ru.COMMANDS_PANEL_TITLE = t("cli.panel_commands", lang)
    ru.ERRORS_PANEL_TITLE = t("cli.panel_error", lang)
    ru.DEFAULT_STRING = t("cli.default_string", lang)
    ru.ENVVAR_STRING = t("cli.envvar_string", lang)
    ru.REQUIRED_LONG_STRING = t("cli.required_string", lang)
    ru.ABORTED_TEXT = t("cli.interrupted", lang)


def usage_error(exc: Any, lang: str) -> tuple[Message, tuple[Message, ...]]:
    """The argument parser's complaint, worded in ``lang``."""
    from typer._click import exceptions as ex

    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "klyngefond"
    hint = Message("cli.hint_help", command=command)
    if isinstance(exc, ex.NoSuchOption):
        details = [Message("cli.did_you_mean", options=list(exc.possibilities))] if exc.possibilities else []
        return Message("cli.no_such_option", option=exc.option_name), (*details, hint)
    if isinstance(exc, ex.MissingParameter):
        param = exc.param
        name = _param_name(param)
        return Message("cli.missing_parameter", name=name), (hint,)
    if isinstance(exc, ex.BadOptionUsage):
        return Message("cli.option_needs_value", option=exc.option_name), (hint,)
    if isinstance(exc, ex.BadParameter):
        return Message("cli.bad_parameter", name=_param_name(exc.param), reason=exc.message), (hint,)
    message = str(exc.message)
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return Message("cli.no_such_command", name=name), (Message("cli.hint_help", command="klyngefond"),)
    if message.startswith("Got unexpected extra argument"):
        extra = message.split("(", 1)[-1].rstrip(")")
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
    return (getattr(param, "name", None) or "?").upper()
