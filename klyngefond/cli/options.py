"""The options every command shares, defined once.

They are ``Annotated`` aliases, so a command lists ``data: DataOption = None`` and typer
does the rest; help texts are worded in the run's language when the command is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klyngefond.cli.completion import clusters
from klyngefond.cli.language import current
from klyngefond.cli.language import help_text as h

HELP_LANG = current()  # the language the help texts below are worded in

ClusterArgument = Annotated[str, typer.Argument(help=h("cli.help_cluster"), show_default=False, metavar=h("cli.metavar_cluster"),
                                                autocompletion=clusters)]
DataOption = Annotated[Path | None, typer.Option("--data", envvar="KLYNGEFOND_DATA", help=h("cli.help_data"), show_default=False,
                                                 metavar=h("cli.metavar_folder"))]
LangOption = Annotated[str | None, typer.Option("--lang", envvar="KLYNGEFOND_LANG", help=h("cli.help_lang"), show_default=False,
                                               metavar=h("cli.metavar_lang"))]
JsonOption = Annotated[bool, typer.Option("--json", help=h("cli.help_json"))]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=h("cli.help_as_of"), show_default=False, metavar=h("cli.metavar_date"))]
YearOption = Annotated[str | None, typer.Option("--year", help=h("cli.help_year"), show_default=False, metavar=h("cli.metavar_year"))]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help=h("cli.help_output"), show_default=False,
                                                   metavar=h("cli.metavar_file"))]
ForceOption = Annotated[bool, typer.Option("--force", help=h("cli.help_force"))]
RecordOption = Annotated[bool, typer.Option("--record", help=h("cli.help_record"))]
DateOption = Annotated[str | None, typer.Option("--date", help=h("cli.help_date"), show_default=False, metavar=h("cli.metavar_date"))]
LevelOption = Annotated[str | None, typer.Option("--level", help=h("cli.help_level"), show_default=False, metavar=h("cli.metavar_level"))]
BodyOption = Annotated[str | None, typer.Option("--body", help=h("cli.help_body"), show_default=False, metavar=h("cli.metavar_body"))]
ReferenceOption = Annotated[str | None, typer.Option("--reference", help=h("cli.help_reference"), show_default=False,
                                                      metavar=h("cli.metavar_reference"))]
OverrideOption = Annotated[str | None, typer.Option("--override", metavar=h("cli.metavar_reason"), help=h("cli.help_override"),
                                                    show_default=False)]
NoteOption = Annotated[list[str] | None, typer.Option("--note", help=h("cli.help_note"), show_default=False)]
SourceOption = Annotated[str | None, typer.Option("--source", help=h("cli.help_source"), show_default=False,
                                                   metavar=h("cli.metavar_source"))]


# --------------------------------------------------------------------------- shared option groups

import functools  # noqa: E402
import inspect  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, make_dataclass  # noqa: E402
from typing import Any  # noqa: E402


@dataclass(frozen=True)
class OptionGroup:
    """Named options a family of commands shares: ``name -> (annotation, default)``."""

    options: dict[str, tuple[Any, Any]]

    def __add__(self, other: OptionGroup) -> OptionGroup:
        return OptionGroup({**self.options, **other.options})


ReasonOption = Annotated[str | None, typer.Option("--reason", help=h("cli.help_reason"), show_default=False,
                                                   metavar=h("cli.metavar_reason"))]

READING = OptionGroup({"data": (DataOption, None), "lang": (LangOption, None), "as_json": (JsonOption, False)})
VIEW = OptionGroup({"year": (YearOption, None), "as_of": (AsOfOption, None)})
DECIDING = OptionGroup({
    "year": (YearOption, None), "record_it": (RecordOption, False), "date": (DateOption, None), "level": (LevelOption, None),
    "body": (BodyOption, None), "reference": (ReferenceOption, None), "reason": (ReasonOption, None),
    "override": (OverrideOption, None), "source": (SourceOption, None), "note": (NoteOption, None),
})


def with_options(group: OptionGroup) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command every option of ``group``, passed to it together as ``opts``.

    One definition of the shared options (as sqlite-utils' ``output_options`` decorator
    does for click): the command's own parameters come first, the group's follow, and the
    command reads them as ``opts.data``, ``opts.lang``, … .
    """
    fields = [(name, Any) for name in group.options]
    values_type = make_dataclass("Options", fields, frozen=True)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "opts"]
        extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
                 for name, (annotation, default) in group.options.items()]

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            opts = values_type(**{name: kwargs.pop(name) for name in group.options})
            return func(*args, opts=opts, **kwargs)

        command.__signature__ = signature.replace(parameters=[*own, *extra])  # type: ignore[attr-defined]
        # typer reads the evaluated annotations of the new signature, not the wrapped function's strings.
        command.__annotations__ = {p.name: p.annotation for p in command.__signature__.parameters.values()}  # type: ignore[attr-defined]
        del command.__wrapped__
        return command

    return decorate


# --------------------------------------------------------------------------- output: --format, --output, --force

EXPORT_FORMATS = ("table", "md", "csv", "xlsx")
DOCUMENT_FORMATS = ("md", "xlsx", "pdf", "html")


def output_options(formats: tuple[str, ...], default: str | None, *, format_help: str = "cli.help_format",
                   output_help: str = "cli.help_output") -> OptionGroup:
    """``--format`` (one of ``formats``), ``--output`` and ``--force``, the same for every command that writes a file.

    The command reads them as ``opts.output_format``, ``opts.output`` and ``opts.force`` and
    hands them to ``cli.output.deliver``, which applies the one set of rules: a file is never
    replaced without ``--force``, a CSV file gets a byte order mark, a binary format is never
    written to a terminal.
    """
    metavar = "|".join(formats)
    fmt = Annotated[str | None, typer.Option("--format", help=h(format_help, formats=metavar), metavar=metavar,
                                             show_default=False)]
    output = Annotated[Path | None, typer.Option("--output", "-o", help=h(output_help), show_default=False)]
    return OptionGroup({"output_format": (fmt, default), "output": (output, None), "force": (ForceOption, False)})


EXPORT = output_options(EXPORT_FORMATS, None)
