"""The ``klyngefond`` command: finds the subcommand, runs it, and turns every failure into a clear message.

Start-up does as little as it can: the language is read from the command line or
``KLYNGEFOND_LANG`` before anything else (help texts are worded when their command is
imported), the command table is static (``registry.py``), and only the module of the
command being run is imported. Every error reaches the person as one Danish (or English)
message with what to do, never a traceback; exit codes are documented in ``errors.py``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any

import typer
from typer import _click as click
from typer._click.shell_completion import CompletionItem
from typer.core import TyperGroup

from klyngefond import __version__
from klyngefond.cli import completion, language, parse
from klyngefond.cli.completion import prepare
from klyngefond.cli.errors import EXIT_DATA, EXIT_INTERRUPTED, EXIT_USAGE, CommandError
from klyngefond.cli.registry import COMMANDS
from klyngefond.i18n import Message, t, text
from klyngefond.render.terminal import safe_print

COMPLETE_VAR = "_KLYNGEFOND_COMPLETE"


class LazyCommands(language.LocalisedHelp, TyperGroup):
    """A command group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for name in COMMANDS if available(name)]

    def get_command(self, ctx: Any, name: str) -> Any:
        entry = COMMANDS.get(name)
        if entry is None or not available(name):
            return None
        module = language.import_command(f"klyngefond.cli.commands.{entry[0]}")
        return language.command_from(module.app, name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, t(COMMANDS[name][1], language.current())) for name in self.list_commands(ctx)]
        with formatter.section(t("cli.panel_commands", language.current())):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names with their summaries, from the table (no command module is imported)."""
        items = [CompletionItem(name, help=t(COMMANDS[name][1], language.current()))
                 for name in self.list_commands(ctx) if name.startswith(incomplete)]
        if incomplete.startswith("-"):
            items += [CompletionItem(opt) for param in self.get_params(ctx) for opt in param.opts if opt.startswith(incomplete)]
        return items


def available(name: str) -> bool:
    """Whether the command's module is part of this installation."""
    entry = COMMANDS.get(name)
    return entry is not None and importlib.util.find_spec(f"klyngefond.cli.commands.{entry[0]}") is not None


def _version(value: bool) -> None:
    if value:
        print(f"klyngefond {__version__}")
        raise typer.Exit(0)


def _lang(value: str | None) -> str | None:
    if value is not None:
        parse.lang(value)
    return value


def build_app() -> typer.Typer:
    lang = language.current()
    app = typer.Typer(
        cls=LazyCommands,
        name="klyngefond",
        help=t("cli.app_help", lang),
        epilog=t("cli.example_app", lang),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                     help=t("cli.help_version", lang)),
        lang_option: str | None = typer.Option(None, "--lang", callback=_lang, metavar=t("cli.metavar_lang", lang),
                                               help=t("cli.help_lang", lang), show_default=False),
        install_completion: str | None = typer.Option(None, "--install-completion", callback=completion.install,
                                                      is_eager=True, expose_value=False, show_default=False,
                                                      metavar=t("cli.metavar_shell", lang),
                                                      help=t("cli.help_install_completion", lang)),
        show_completion: str | None = typer.Option(None, "--show-completion", callback=completion.show, is_eager=True,
                                                   expose_value=False, show_default=False,
                                                   metavar=t("cli.metavar_shell", lang),
                                                   help=t("cli.help_show_completion", lang)),
    ) -> None:
        pass

    return app


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit with 0, 1 (data or refusal), 2 (usage) or 130 (interrupted).

    ``argv`` is ``None`` when klyngefond runs as a program (tests pass a list): only then
    are the terminal's streams adjusted and Ctrl-C ignored while the program says goodbye.
    """
    from klyngefond.cli import ignore_interrupts, take_interrupts

    args = sys.argv[1:] if argv is None else argv
    lang = language.choose(args)
    try:
        if take_interrupts():
            raise KeyboardInterrupt
        _forgiving_streams()
        _run(args, lang)
    except KeyboardInterrupt:
        if argv is None:
            ignore_interrupts()  # a second Ctrl-C while saying so is not a traceback
        _say_error("klyngefond: " + t("cli.interrupted", lang))
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if argv is None:
            ignore_interrupts()


def _run(args: list[str], lang: str) -> None:
    from klyngefond.storage.atomic import WriteError

    try:
        language.install()
        command = typer.main.get_command(build_app())
        if os.environ.get(COMPLETE_VAR):
            prepare()
        code = command.main(args=args, prog_name="klyngefond", complete_var=COMPLETE_VAR, standalone_mode=False)
        if code == EXIT_INTERRUPTED:
            raise KeyboardInterrupt  # typer turns Ctrl-C inside a command into a silent exit code 130
        if isinstance(code, int) and code:
            sys.exit(code)  # a command's typer.Exit(code): click returns it instead of exiting
    except CommandError as exc:
        _print_error(exc.message, exc.details, lang)
        sys.exit(exc.code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        _say_error(exc.ctx.get_help() if exc.ctx is not None else "")
        sys.exit(EXIT_USAGE)
    except typer.Abort:
        raise KeyboardInterrupt from None
    except click.exceptions.UsageError as exc:
        if str(exc.message).startswith("Missing command") and exc.ctx is not None:
            print(exc.ctx.get_help(), file=sys.stderr)  # only options such as --lang: the help, as with no arguments
            sys.exit(EXIT_USAGE)
        message, details = language.usage_error(exc, lang, args)
        _print_error(message, details, lang)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            os._exit(0)
    except UnicodeEncodeError as exc:
        # The last line of defence: every writer replaces what the terminal cannot show.
        encoding = getattr(sys.stdout, "encoding", None) or exc.encoding
        _print_error(Message("faults.encoding", encoding=encoding), (Message("faults.hint_encoding"),), lang)
        sys.exit(EXIT_DATA)
    except (WriteError, OSError) as exc:
        from klyngefond.cli.faults import os_error_words

        message, details = os_error_words(exc)
        _print_error(message, details, lang)
        sys.exit(EXIT_DATA)
    except Exception as exc:  # the last line of defence: every known failure is handled where it arises
        if os.environ.get("KLYNGEFOND_DEBUG"):
            raise
        _print_error(Message("cli.internal_error", kind=type(exc).__name__), (Message("cli.hint_internal_error"),), lang)
        sys.exit(EXIT_DATA)


def _forgiving_streams() -> None:
    """A terminal that is not UTF-8 gets ``?`` for what it cannot show instead of a crash (help, CSV, Markdown)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
        if encoding.startswith("utf"):
            continue
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _say_error(words: str) -> None:
    from klyngefond.render.terminal import safe_print

    safe_print(words, err=True)


def _print_error(message: Any, details: Any, lang: str) -> None:
    safe_print("klyngefond: " + text(message, lang), err=True)
    for detail in details:
        safe_print("  " + text(detail, lang), err=True)
