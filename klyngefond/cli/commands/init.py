"""`klyngefond init`: a new cluster folder with a commented cluster.toml, asked for on a terminal or given as options.

The file is written once, as a new file (never over an existing one), and read back
through the same validator as every cluster file before it is written. It is the person's
file from then on: klyngefond never rewrites it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import tomli_w
import typer

from klyngefond.cli import parse
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import JsonOption, LangOption
from klyngefond.cli.output import emit_json
from klyngefond.core.ids import IdError, check_id, slugify
from klyngefond.core.records import Cluster
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.i18n import date as format_date
from klyngefond.render.problems import shown_path
from klyngefond.storage.atomic import TargetExistsError, WriteError, write_new
from klyngefond.storage.locate import GENERIC_WORDS, cluster_folders, is_shipped, read_names
from klyngefond.storage.validate import build

app = typer.Typer()

KINDS = {
    "kommune": "kommune", "municipality": "kommune",
    "region": "region",
    "almen praksis": "almen praksis", "almen-praksis": "almen praksis", "praksis": "almen praksis", "plo": "almen praksis",
    "general practice": "almen praksis",
}


@dataclass(frozen=True)
class NewPartner:
    id: str
    name: str
    kind: str
    short_name: str | None = None


@app.command("init", help=h("init.help"), epilog=h("init.example"))
def init(
    cluster: Annotated[str, typer.Argument(help=h("init.help_cluster"), show_default=False, metavar=h("cli.metavar_cluster"))],
    name: Annotated[str | None, typer.Option("--name", help=h("init.help_name"), show_default=False,
                                             metavar=h("cli.metavar_name"))] = None,
    region: Annotated[str | None, typer.Option("--region", help=h("init.help_region"), show_default=False,
                                               metavar=h("cli.metavar_name"))] = None,
    partner: Annotated[list[str] | None, typer.Option("--partner", help=h("init.help_partner"), show_default=False,
                                                      metavar=h("init.metavar_partner"))] = None,
    cluster_id: Annotated[str | None, typer.Option("--id", help=h("init.help_id"), show_default=False,
                                                   metavar=h("cli.metavar_id"))] = None,
    data: Annotated[Path | None, typer.Option("--data", envvar="KLYNGEFOND_DATA", help=h("init.help_data"), show_default=False,
                                              metavar=h("cli.metavar_folder"))] = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    full_name = parse.text_value(name if name is not None else cluster, "--name" if name is not None else h("cli.metavar_cluster"))
    assert full_name is not None
    new_id = parse.new_id(cluster_id) if cluster_id is not None else parse.slug(_without_generic(full_name), h("cli.metavar_cluster"))
    root = data if data is not None else Path("data")
    _refuse_examples(root)
    folder = root / new_id
    target = folder / "cluster.toml"
    if target.exists():
        raise Refused(Message("init.exists", path=str(target)), Message("init.hint_exists"))
    _refuse_same_id(root, new_id)

    region_name = parse.text_value(region, "--region")
    partners = [_partner(value) for value in partner or []]
    if _interactive() and (region_name is None or not partners):
        print(t("init.ask_intro", lang, folder=str(folder)))
        if region_name is None:
            region_name = _ask_until(t("init.ask_region", lang), lambda answer: parse.text_value(answer, "--region"), lang)
        if not partners:
            print(t("init.ask_partners", lang))
            while True:
                answer = _ask(t("init.ask_partner", lang, number=len(partners) + 1), lang)
                if not answer:
                    if any(p.kind != "almen praksis" for p in partners):
                        break
                    if partners:
                        print(t("init.ask_again", lang, problem=Message("init.no_funds_holder")))
                    continue
                try:
                    candidate = _partner(answer)
                    _check_partners([*partners, candidate], final=False)
                except UsageProblem as exc:
                    print(t("init.ask_again", lang, problem=exc.message))
                    continue
                partners.append(candidate)
    missing = [option for option, value in (("--region", region_name), ("--partner", partners)) if not value]
    if missing:
        raise UsageProblem(Message("init.needs", options=missing), Message("init.hint_needs"))
    _check_partners(partners)

    content = cluster_file(new_id, full_name, region_name, partners, lang)  # type: ignore[arg-type]
    _write(target, content)
    shown = _shown(target)
    if as_json:
        emit_json({"cluster": new_id, "name": full_name, "region": region_name, "file": shown,
                   "partners": [{"id": p.id, "name": p.name, "kind": p.kind} for p in partners]})
        return
    data_flag = _data_flag(root)
    holder = next(p.id for p in partners if p.kind != "almen praksis")
    receive = f"klyngefond receive {new_id} {holder} {t('cli.metavar_amount', lang)} --year {t('cli.metavar_year', lang)} --record{data_flag}"
    lines = [t("init.created", lang, path=Verbatim(shown), count=len(partners)), "", t("init.next", lang),
             t("init.next_edit", lang), t("init.next_receive", lang, command=Verbatim(receive)),
             t("init.next_status", lang, command=Verbatim(f"klyngefond status {new_id}{data_flag}"))]
    print("\n".join(lines))


def _without_generic(name: str) -> str:
    """``Vesterhavet`` for "Sundhedsklynge Vesterhavet": the id leaves out the words every cluster has."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in GENERIC_WORDS:
        words = words[1:]
    return " ".join(words)


# --------------------------------------------------------------------------- partners


def _partner(value: str) -> NewPartner:
    """``Navn``, ``id=Navn`` or ``id=Navn:art``: a partner typed on the command line."""
    raw = value.strip()
    given_id = None
    if "=" in raw:
        given_id, raw = (part.strip() for part in raw.split("=", 1))
    kind = None
    if ":" in raw:
        raw, kind_text = (part.strip() for part in raw.rsplit(":", 1))
        kind = KINDS.get(re.sub(r"\s+", " ", kind_text.lower()))
        if kind is None:
            raise UsageProblem(Message("init.bad_partner", value=Verbatim(value), problem=Message("init.unknown_kind", kind=Verbatim(kind_text))),
                               Message("init.hint_partner"))
    try:
        partner_name = parse.text_value(raw, "--partner")
    except UsageProblem as exc:
        raise UsageProblem(Message("init.bad_partner", value=Verbatim(value), problem=exc.message), Message("init.hint_partner")) from None
    assert partner_name is not None
    kind = kind or _guess_kind(partner_name)
    if kind is None:
        raise UsageProblem(Message("init.bad_partner", value=Verbatim(value), problem=Message("init.cannot_guess_kind")),
                           Message("init.hint_partner"))
    short = re.sub(r"\s+kommune$", "", partner_name, flags=re.IGNORECASE).strip() if kind == "kommune" else None
    try:
        pid = check_id(given_id, "--partner") if given_id else slugify(short or partner_name)
    except IdError as exc:
        raise UsageProblem(exc.message, *([exc.hint] if exc.hint else [])) from None
    return NewPartner(pid, partner_name, kind, short if short and short != partner_name else None)


def _guess_kind(name: str) -> str | None:
    words = name.lower().replace("(", " ").replace(")", " ").split()
    if "kommune" in words:
        return "kommune"
    if words and words[0] == "region":
        return "region"
    if "plo" in words or "praksis" in words:
        return "almen praksis"
    return None


def _check_partners(partners: list[NewPartner], *, final: bool = True) -> None:
    seen: set[str] = set()
    for p in partners:
        if p.id in seen:
            raise UsageProblem(Message("init.partner_twice", id=p.id), Message("init.hint_partner"))
        seen.add(p.id)
    if final and partners and all(p.kind == "almen praksis" for p in partners):
        raise UsageProblem(Message("init.no_funds_holder"), Message("init.hint_partner"))


# --------------------------------------------------------------------------- the file


def _toml(key: str, value: Any) -> str:
    return tomli_w.dumps({key: value}).strip()


def _comment(words: str) -> list[str]:
    return [f"# {line}".rstrip() for line in words.splitlines()]


def cluster_file(cluster_id: str, name: str, region: str, partners: list[NewPartner], lang: str) -> str:
    """The text of a new, commented cluster.toml."""
    lines = [*_comment(t("init.file_title", lang, name=Verbatim(name))),
             *_comment(t("init.file_written", lang, date=format_date(dt.date.today(), lang))), ""]
    for key, value, comment in (
        ("id", cluster_id, "init.file_id"),
        ("name", name, "init.file_name"),
        ("region", region, None),
        ("aliases", [], "init.file_aliases"),
        ("default_financing", "solidarity", "init.file_financing"),
        ("sources", [], "init.file_sources"),
        ("notes", [], "init.file_notes"),
    ):
        if comment:
            lines += _comment(t(comment, lang))
        lines.append(_toml(key, value))
    lines += ["", *_comment(t("init.file_partners", lang)),
              '#   cvr = "29189846"', '#   ean = "5798000000001"',
              '#   address = { street = "Torvegade 74", postal_code = "6700", city = "Esbjerg" }',
              '#   payment = { bank_reg = "1234", bank_account = "0001234567" }']
    for p in partners:
        lines += ["", "[[partners]]", _toml("id", p.id), _toml("name", p.name)]
        if p.short_name:
            lines.append(_toml("short_name", p.short_name))
        lines.append(_toml("kind", p.kind))
    holder = next((p.id for p in partners if p.kind != "almen praksis"), "partner")
    year = dt.date.today().year
    command = f"klyngefond receive {cluster_id} {holder} 1.000.000 --year {year} --record"
    lines += ["", *_comment(t("init.file_allocations", lang, command=Verbatim(command))),
              "# [[allocations]]", f'# partner = "{holder}"', f"# year = {year}", "# received = 1000000", ""]
    return "\n".join(lines)


def _write(target: Path, content: str) -> None:
    """Check the file as the loader will read it, then write it as a new file."""
    cluster, issues = build(Cluster, tomllib.loads(content))
    if issues or cluster is None:  # pragma: no cover - what init writes is valid by construction
        raise AssertionError(f"init wrote an invalid cluster file: {issues}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_new(target, content.encode("utf-8"))
    except TargetExistsError:
        raise Refused(Message("init.exists", path=str(target)), Message("init.hint_exists")) from None
    except WriteError as exc:
        raise Refused(Message("cli.cannot_write", path=str(target), reason=Message(exc.reason))) from None
    except OSError as exc:
        raise Refused(Message("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc))) from None


# --------------------------------------------------------------------------- where


def _refuse_examples(root: Path) -> None:
    if is_shipped(root):
        raise Refused(Message("init.into_examples", path=str(root)), Message("init.hint_into_examples"))


def _refuse_same_id(root: Path, new_id: str) -> None:
    for folder in cluster_folders(root) if root.is_dir() else []:
        if read_names(folder).id == new_id and (folder / "cluster.toml").exists():
            raise Refused(Message("init.same_id", id=new_id, path=str(folder)), Message("init.hint_exists"))


def _data_flag(root: Path) -> str:
    """`` --data DIR`` when later commands would not find ``root`` by themselves."""
    env = os.environ.get("KLYNGEFOND_DATA")
    found = Path(env) if env else Path.cwd() / "data"
    try:
        if root.resolve() == found.resolve():
            return ""
    except OSError:
        pass
    shown = str(root)
    return f" --data {shown}" if " " not in shown else f' --data "{shown}"'


def _shown(path: Path) -> str:
    return shown_path(path)


# --------------------------------------------------------------------------- asking


def _interactive() -> bool:
    """A person at a terminal types the answers (the questions may go to a pipe)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(prompt: str, lang: str) -> str:
    try:
        return input(f"{prompt}: ").strip()
    except EOFError:
        raise typer.Abort() from None


def _ask_until(prompt: str, check: Any, lang: str) -> Any:
    while True:
        answer = _ask(prompt, lang)
        if not answer:
            continue
        try:
            return check(answer)
        except UsageProblem as exc:
            print(t("init.ask_again", lang, problem=text(exc.message, lang)))
