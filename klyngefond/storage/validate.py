"""Turning a parsed TOML table into a record, or into problems naming each bad key.

The record definitions in ``core/records.py`` are the only schema: this module reads their
annotations (``Id``, ``Name``, ``Amount``, ``Date``, ``Literal[...]``, nested records,
tuples, tables, the financing union tagged by ``model``) and checks a value against them,
then runs the record's own rules (``core/rules.py``). Every problem names its key in the
form a person counts blocks, ``partners[3] (vejen).cvr``, and says how to write it.

It is hand-written rather than pydantic because it runs on every command: it costs
microseconds per record and no import, where pydantic's import and model set-up cost
more than a whole ``status`` run, and its messages come from the catalogue in the run's
language instead of a library's English.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, Union

from klyngefond.core import records as R
from klyngefond.core.dates import DateError, check_bounds
from klyngefond.core.ids import MAX_ID_LENGTH, ID_PATTERN
from klyngefond.core.money import AmountError, parse_amount
from klyngefond.core.rules import violations
from klyngefond.core.text import control_characters
from klyngefond.i18n import Message

Issue = tuple[str | None, Message, Message | None]

MAX_TEXT = 2000
MAX_NAME = 300
_MISSING = object()


class Invalid(Exception):
    """Raised inside the validator; collected into issues at the record boundary."""

    def __init__(self, key: str | None, message: Message, hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.key = key
        self.message = message
        self.hint = hint


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(R), include_extras=True)


@lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, annotation, required) of each field, in definition order."""
    hints = _hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append((f.name, hints[f.name], required))
    return tuple(out)


def build(cls: type, data: object, key: str = "", *, defaults: dict[str, Any] | None = None) -> tuple[Any | None, list[Issue]]:
    """The record of type ``cls`` that ``data`` describes, or ``None`` and every issue found.

    ``defaults`` fill in keys the table leaves out (e.g. a record's id from its file name).
    """
    issues: list[Issue] = []
    record = _record(cls, data, key, issues, defaults or {})
    if record is not None:
        for rule_key, message, hint in violations(record):
            issues.append((_join(key, rule_key) if rule_key else (key or None), message, hint))
        if issues:
            record = None
    return record, issues


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _record(cls: type, data: object, key: str, issues: list[Issue], defaults: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        issues.append((key or None, Message("validate.not_a_table"), Message("validate.hint_table")))
        return None
    fields = _fields(cls)
    names = [name for name, _, _ in fields]
    values: dict[str, Any] = {}
    ok = True
    for extra in data:
        if extra not in names:
            close = difflib.get_close_matches(str(extra), names, n=1, cutoff=0.6)
            hint = Message("validate.hint_did_you_mean", key=close[0]) if close else Message("validate.hint_known_keys", keys=names)
            issues.append((_join(key, str(extra)), Message("validate.unknown_key"), hint))
            ok = False
    for name, annotation, required in fields:
        field_key = _join(key, name)
        raw = data.get(name, defaults.get(name, _MISSING))
        if raw is _MISSING:
            if required:
                issues.append((field_key, Message("validate.missing"), _example_hint(annotation)))
                ok = False
            continue
        try:
            values[name] = _value(annotation, raw, field_key, issues)
        except Invalid as exc:
            issues.append((exc.key, exc.message, exc.hint))
            ok = False
    if not ok:
        return None
    try:
        return cls(**values)
    except (TypeError, ValueError):  # pragma: no cover - every field was checked above
        issues.append((key or None, Message("validate.not_a_table"), None))
        return None


def _example_hint(annotation: Any) -> Message | None:
    marker = _marker(annotation)
    if marker is not None:
        return Message(f"validate.hint_{marker}")
    return None


def _marker(annotation: Any) -> str | None:
    base = _strip_optional(annotation)
    if typing.get_origin(base) is typing.Annotated:
        return str(base.__metadata__[0])
    return None


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _value(annotation: Any, raw: Any, key: str, issues: list[Issue]) -> Any:
    annotation = _strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _marked(annotation.__origin__, str(annotation.__metadata__[0]), raw, key)
    if annotation is R.YearSpan:
        return _year_span(raw, key)
    if origin is Literal:
        return _literal(typing.get_args(annotation), raw, key)
    if origin in (Union, types.UnionType):
        return _tagged(typing.get_args(annotation), raw, key, issues)
    if dataclasses.is_dataclass(annotation):
        nested: list[Issue] = []
        record = _record(annotation, raw, key, nested, {})  # type: ignore[arg-type]
        if record is not None:
            for rule_key, message, hint in violations(record):
                nested.append((_join(key, rule_key) if rule_key else key, message, hint))
        if nested:
            issues.extend(nested[:-1])
            last = nested[-1]
            raise Invalid(last[0], last[1], last[2])
        return record
    if origin is tuple:
        item_type = typing.get_args(annotation)[0]
        if not isinstance(raw, list):
            raise Invalid(key, Message("validate.not_a_list"), Message("validate.hint_list"))
        items = []
        failed: Invalid | None = None
        for index, item in enumerate(raw, start=1):
            try:
                items.append(_value(item_type, item, f"{key}[{index}]{_label(item)}", issues))
            except Invalid as exc:
                if failed is not None:
                    issues.append((failed.key, failed.message, failed.hint))
                failed = exc
        if failed is not None:
            raise failed
        return tuple(items)
    if origin is dict:
        key_type, value_type = typing.get_args(annotation)
        if not isinstance(raw, dict):
            raise Invalid(key, Message("validate.not_a_table"), Message("validate.hint_table"))
        result = {}
        failed = None
        for item_key, item in raw.items():
            try:
                checked_key = _value(key_type, item_key, f"{key}.{item_key}", issues)
                result[checked_key] = _value(value_type, item, f"{key}.{item_key}", issues)
            except Invalid as exc:
                if failed is not None:
                    issues.append((failed.key, failed.message, failed.hint))
                failed = exc
        if failed is not None:
            raise failed
        return result
    if annotation is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise Invalid(key, Message("validate.not_an_integer"), None)
        if not 0 <= raw <= 10**9:
            raise Invalid(key, Message("validate.integer_bounds", low=0, high=10**9), None)
        return raw
    if annotation is str:
        if not isinstance(raw, str):
            raise Invalid(key, Message("validate.not_text"), Message("validate.hint_quotes"))
        return raw
    raise Invalid(key, Message("validate.unsupported"), None)  # pragma: no cover - a record type we do not know


def _label(item: object) -> str:
    """`` (vejen)`` after ``partners[3]``, so that a person finds the block."""
    if isinstance(item, dict):
        for name in ("id", "partner", "name"):
            value = item.get(name)
            if isinstance(value, str) and len(value) <= 60 and not control_characters(value):
                return f" ({value})"
    return ""


_ID = re.compile(ID_PATTERN, re.ASCII)
_INVOICE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,%d}" % (MAX_ID_LENGTH - 1), re.ASCII)
_INVOICE_PREFIX = re.compile(r"[A-Z][A-Z0-9]{1,7}", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
_RECORD_REF = re.compile(r"(%s)/%s" % ("|".join(R.RECORD_FOLDERS), ID_PATTERN), re.ASCII)


def _marked(base: Any, marker: str, raw: Any, key: str) -> Any:
    if marker == "amount":
        try:
            return parse_amount(raw)
        except AmountError as exc:
            raise Invalid(key, exc.message, exc.hint) from None
    if marker == "date":
        if isinstance(raw, str):
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip(), re.ASCII):
                    raise ValueError(raw)
                raw = dt.date.fromisoformat(raw.strip())
            except ValueError:
                raise Invalid(key, Message("dates.not_a_date", value=raw[:40]), Message("dates.hint_toml")) from None
        if not isinstance(raw, dt.date):
            raise Invalid(key, Message("dates.not_a_date", value=repr(raw)[:40]), Message("dates.hint_toml"))
        try:
            return check_bounds(raw)
        except DateError as exc:
            raise Invalid(key, exc.message, exc.hint) from None
    if marker == "year":
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1990 <= raw <= 2100:
            raise Invalid(key, Message("validate.not_a_year", value=repr(raw)[:40]), Message("validate.hint_year"))
        return raw
    if not isinstance(raw, str):
        raise Invalid(key, Message("validate.not_text"), Message("validate.hint_quotes"))
    if marker == "id":
        if not _ID.fullmatch(raw):
            raise Invalid(key, Message("validate.not_an_id", value=raw[:MAX_ID_LENGTH + 10]), Message("validate.hint_id"))
        return raw
    if marker == "invoice_number":
        if not _INVOICE_NUMBER.fullmatch(raw):
            raise Invalid(key, Message("validate.not_an_invoice_number", value=raw[:MAX_ID_LENGTH + 10]),
                          Message("validate.hint_invoice_number"))
        return raw
    if marker == "invoice_prefix":
        if not _INVOICE_PREFIX.fullmatch(raw):
            raise Invalid(key, Message("validate.not_an_invoice_prefix", value=raw[:20]), Message("validate.hint_invoice_prefix"))
        return raw
    if marker == "record":
        if not _RECORD_REF.fullmatch(raw):
            raise Invalid(key, Message("validate.not_a_record_ref", value=raw[:100]), Message("validate.hint_record"))
        return raw
    if marker == "digits":
        cleaned = raw.strip()
        if not _DIGITS.fullmatch(cleaned):
            raise Invalid(key, Message("validate.not_digits", value=raw[:40]), Message("validate.hint_digits"))
        return cleaned
    if marker == "country":
        if not re.fullmatch(r"[A-Z]{2}", raw, re.ASCII):
            raise Invalid(key, Message("validate.not_a_country", value=raw[:10]), None)
        return raw
    multiline = marker == "text"
    bad = control_characters(raw, multiline=multiline)
    if bad:
        raise Invalid(key, Message("validate.control_characters", characters=bad), Message("validate.hint_control"))
    if marker == "name":
        if not raw.strip():
            raise Invalid(key, Message("validate.empty"), None)
        if len(raw) > MAX_NAME:
            raise Invalid(key, Message("validate.too_long", limit=MAX_NAME), None)
        return raw.strip()
    if len(raw) > MAX_TEXT:
        raise Invalid(key, Message("validate.too_long", limit=MAX_TEXT), None)
    return raw


def _year_span(raw: Any, key: str) -> R.YearSpan:
    if isinstance(raw, int) and not isinstance(raw, bool):
        first = last = raw
    elif isinstance(raw, str):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", raw, re.ASCII)
        if not match:
            raise Invalid(key, Message("validate.not_a_year", value=raw[:40]), Message("validate.hint_year"))
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    else:
        raise Invalid(key, Message("validate.not_a_year", value=repr(raw)[:40]), Message("validate.hint_year"))
    if not 1990 <= first <= last <= 2100:
        raise Invalid(key, Message("validate.bad_period", first=first, last=last), Message("validate.hint_year"))
    return R.YearSpan(first, last)


def _literal(choices: tuple[Any, ...], raw: Any, key: str) -> Any:
    if raw in choices:
        return raw
    shown = raw[:60] if isinstance(raw, str) else repr(raw)[:60]
    raise Invalid(key, Message("validate.not_a_choice", value=shown, choices=[f'"{c}"' for c in choices]), None)


def _tagged(options: tuple[Any, ...], raw: Any, key: str, issues: list[Issue]) -> Any:
    """A member of a union of records, chosen by its ``model`` key (the financing models)."""
    if not isinstance(raw, dict):
        raise Invalid(key, Message("validate.not_a_table"), Message("validate.hint_table"))
    by_tag = {}
    for option in options:
        tag = dataclasses.fields(option)
        model = next(f for f in tag if f.name == "model")
        by_tag[model.default] = option
    tag_value = raw.get("model")
    if tag_value is None:
        raise Invalid(_join(key, "model"), Message("validate.missing"), Message("validate.hint_model", choices=list(by_tag)))
    if not isinstance(tag_value, str) or tag_value not in by_tag:
        raise Invalid(_join(key, "model"), Message("validate.not_a_choice", value=str(tag_value)[:60],
                                                    choices=[f'"{c}"' for c in by_tag]), None)
    nested: list[Issue] = []
    record = _record(by_tag[tag_value], raw, key, nested, {})
    if nested:
        issues.extend(nested[:-1])
        last = nested[-1]
        raise Invalid(last[0], last[1], last[2])
    return record


# --------------------------------------------------------------------------- the other way


def to_table(record: Any) -> dict[str, Any]:
    """The TOML table of a record: the inverse of :func:`build` (amounts as exact strings,
    absent optional values and values equal to their default left out)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value is None:
            continue
        if f.default is not dataclasses.MISSING and value == f.default and f.name != "model":
            continue
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, R.YearSpan):
        return value.first if not value.is_period else str(value)
    if dataclasses.is_dataclass(value):
        return to_table(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
