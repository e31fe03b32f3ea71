"""`klyngefond examples DIR`: a writable copy of the example clusters that ship inside the package.

The examples (``klyngefond/examples``) are read-only: commands that record refuse to write
there. This copies them to a folder of the person's own, cluster by cluster, never over an
existing folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.errors import Refused
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import JsonOption, LangOption
from klyngefond.cli.output import emit_json
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.storage.locate import FICTIONAL_DATA, SHIPPED_DATA, cluster_folders, is_shipped, read_names

app = typer.Typer()

IGNORED = shutil.ignore_patterns(".*", "__pycache__")


@app.command("examples", help=h("examples.help"), epilog=h("examples.example"))
def examples(
    folder: Annotated[Path, typer.Argument(help=h("examples.help_folder"), show_default=False, metavar=h("cli.metavar_folder"))],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    if is_shipped(folder):
        raise Refused(Message("examples.into_examples", path=str(folder)))
    sources = [(source, False) for source in cluster_folders(SHIPPED_DATA)] + \
        [(source, True) for source in cluster_folders(FICTIONAL_DATA)]
    for source, _ in sources:
        if (folder / source.name).exists():
            raise Refused(Message("examples.exists", path=str(folder / source.name)), Message("examples.hint_exists"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for source, _ in sources:
            _copy(source, folder / source.name)
    except FileExistsError as exc:
        raise Refused(Message("examples.exists", path=str(exc.filename or folder)), Message("examples.hint_exists")) from None
    except OSError as exc:
        raise Refused(Message("cli.cannot_write", path=str(exc.filename or folder), reason=exc.strerror or str(exc))) from None
    names = [(source.name, read_names(source).name, fictional) for source, fictional in sources]
    if as_json:
        emit_json({"folder": str(folder), "clusters": [{"folder": f, "name": n, "fictional": fic} for f, n, fic in names]})
        return
    data_flag = _data_flag(folder)
    lines = [t("examples.copied", lang, count=len(names), folder=Verbatim(str(folder)))]
    lines += [f"  {f} — {n}" + (f" ({t('examples.fictional', lang)})" if fic else "") for f, n, fic in names]
    lines += ["", t("examples.try", lang), f"  klyngefond status Sydvestjylland{data_flag}",
              f"  klyngefond status Vesterhavet{data_flag}"]
    print("\n".join(lines))


def _copy(source: Path, target: Path) -> None:
    """Copy one cluster folder: into a hidden temporary folder first, then renamed into place."""
    temporary = target.parent / f".{target.name}.copying"
    if temporary.exists():
        shutil.rmtree(temporary)
    shutil.copytree(source, temporary, ignore=IGNORED)
    try:
        os.rename(temporary, target)  # fails when target appeared meanwhile (a non-empty folder)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        raise FileExistsError(0, "exists", str(target)) from None


def _data_flag(folder: Path) -> str:
    env = os.environ.get("KLYNGEFOND_DATA")
    found = Path(env) if env else Path.cwd() / "data"
    try:
        if folder.resolve() == found.resolve():
            return ""
    except OSError:
        pass
    return f" --data {folder}" if " " not in str(folder) else f' --data "{folder}"'
