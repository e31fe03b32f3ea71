"""Records as plain JSON data and back, for the cache (``storage/cache.py``). Pure.

A validated record is written as plain data (lists, strings, numbers; never code and
never pickle): a record is the list of its fields in definition order, an amount its exact
string (``"1874400.00"``), a date ``"2024-03-01"``, a year span ``[2022, 2023]``, a member
of the financing union ``[model, fields]``. The shape is read from the annotations in
``core/records.py``, as the validator reads them, so a new field needs no code here.

:func:`decoder` turns such data back into the record; anything that does not fit the
record's shape raises :class:`CodecError`, and the cache then reads the file instead.
The round trip is exact: ``decode(encode(r)) == r`` (tested over every example file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Union

from klyngefond.core import records as R
from klyngefond.core.problems import SEVERITIES, Problem
from klyngefond.i18n import Message, Verbatim

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


class CodecError(ValueError):
    """Cached data that does not have the shape of the record it should be."""


def encode(record: Any) -> Any:
    """The plain data of a record (a dataclass from ``core/records.py``)."""
    return _codec(type(record))[0](record)


def decoder(cls: type) -> Decode:
    """A function from plain data (as :func:`encode` wrote it) to a record of type ``cls``."""
    decode = _codec(cls)[1]

    def checked(data: Any) -> Any:
        try:
            return decode(data)
        except CodecError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, ArithmeticError) as exc:
            raise CodecError(f"{cls.__name__}: {exc}") from None

    return checked


@lru_cache(maxsize=None)
def _codec(cls: type) -> tuple[Encode, Decode]:
    hints = typing.get_type_hints(cls, vars(R), include_extras=True)
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    parts = [_for(hints[f.name]) for f in fields]
    encoders = tuple(p[0] for p in parts)
    decoders = tuple(p[1] for p in parts)
    count = len(fields)

    def encode_record(record: Any) -> list[Any]:
        return [enc(getattr(record, name)) for enc, name in zip(encoders, names)]

    def decode_record(data: Any) -> Any:
        if type(data) is not list or len(data) != count:
            raise CodecError(f"{cls.__name__}: not {count} fields")
        return cls(*[dec(value) for dec, value in zip(decoders, data)])

    return encode_record, decode_record


def _same(value: Any) -> Any:
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise CodecError("not text")
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise CodecError("not an integer")
    return value


def _amount(value: Any) -> Decimal:
    if type(value) is not str:
        raise CodecError("not an amount")
    return Decimal(value)


def _date(value: Any) -> dt.date:
    if type(value) is not str:
        raise CodecError("not a date")
    return dt.date.fromisoformat(value)


def _span(value: Any) -> R.YearSpan:
    if type(value) is not list or len(value) != 2:
        raise CodecError("not a year span")
    return R.YearSpan(_integer(value[0]), _integer(value[1]))


def _for(annotation: Any) -> tuple[Encode, Decode]:
    """The (encode, decode) pair of one annotation."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = typing.get_args(annotation)
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:  # Optional[X]
            inner_encode, inner_decode = _for(options[0])
            return (lambda v: None if v is None else inner_encode(v)), (lambda v: None if v is None else inner_decode(v))
        return _tagged(tuple(options))
    if origin is typing.Annotated:
        base = annotation.__origin__
        if base is Decimal:
            return (lambda v: f"{v:f}"), _amount
        if base is dt.date:
            return (lambda v: v.isoformat()), _date
        if base is int:
            return _same, _integer
        return _same, _text
    if annotation is R.YearSpan:
        return (lambda v: [v.first, v.last]), _span
    if origin is Literal:
        choices = frozenset(typing.get_args(annotation))

        def literal(value: Any) -> Any:
            if value not in choices:
                raise CodecError("not a choice")
            return value

        return _same, literal
    if dataclasses.is_dataclass(annotation):
        return _codec(annotation)  # type: ignore[arg-type]
    if origin is tuple:
        item_encode, item_decode = _for(typing.get_args(annotation)[0])

        def decode_tuple(value: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise CodecError("not a list")
            return tuple(item_decode(v) for v in value)

        return (lambda v: [item_encode(x) for x in v]), decode_tuple
    if origin is dict:
        key_type, value_type = typing.get_args(annotation)
        _, key_decode = _for(key_type)
        value_encode, value_decode = _for(value_type)

        def decode_dict(value: Any) -> dict[Any, Any]:
            if type(value) is not dict:
                raise CodecError("not a table")
            return {key_decode(k): value_decode(v) for k, v in value.items()}

        return (lambda v: {k: value_encode(x) for k, x in v.items()}), decode_dict
    if annotation is int:
        return _same, _integer
    if annotation is str:
        return _same, _text
    raise TypeError(f"no codec for {annotation!r}")  # pragma: no cover - a record type we do not know


def _tagged(options: tuple[type, ...]) -> tuple[Encode, Decode]:
    """A member of a union of records told apart by their ``model`` default (the financing models)."""
    by_tag = {next(f.default for f in dataclasses.fields(o) if f.name == "model"): o for o in options}
    by_type = {o: tag for tag, o in by_tag.items()}

    def encode_member(value: Any) -> list[Any]:
        return [by_type[type(value)], _codec(type(value))[0](value)]

    def decode_member(value: Any) -> Any:
        if type(value) is not list or len(value) != 2 or value[0] not in by_tag:
            raise CodecError("not a financing model")
        return _codec(by_tag[value[0]])[1](value[1])

    return encode_member, decode_member



# --------------------------------------------------------------------------- problems and their messages


def encode_problem(problem: Problem) -> list[Any]:
    """A problem as plain data; ``CodecError`` for a value of a type not known here (the caller
    then keeps nothing)."""
    return [None if problem.file is None else str(problem.file), problem.key, _plain(problem.message),
            _plain(problem.hint), problem.severity, problem.code]


def decode_problem(data: Any) -> Problem:
    if type(data) is not list or len(data) != 6:
        raise CodecError("not a problem")
    file, key, message, hint, severity, code = data
    if not (file is None or type(file) is str) or not (key is None or type(key) is str) or severity not in SEVERITIES \
            or type(code) is not str:
        raise CodecError("not a problem")
    decoded = _value(message)
    if type(decoded) is not Message:
        raise CodecError("not a message")
    return Problem(None if file is None else Path(file), key, decoded, _value(hint), severity, code)


def _plain(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is Decimal:
        return ["d", f"{value:f}"]
    if type(value) is dt.date:
        return ["D", value.isoformat()]
    if type(value) is Verbatim:
        return ["v", value.value]
    if type(value) is Message:
        return ["m", value.key, [[k, _plain(v)] for k, v in value.params]]
    if type(value) in (tuple, list):
        return ["t", [_plain(v) for v in value]]
    raise CodecError(f"no plain form for {type(value).__name__}")


def _value(data: Any) -> Any:
    if data is None or type(data) in (str, int, bool):
        return data
    if type(data) is not list or len(data) < 2 or type(data[0]) is not str:
        raise CodecError("not a value")
    tag = data[0]
    if tag == "d":
        return Decimal(data[1])
    if tag == "D":
        return dt.date.fromisoformat(data[1])
    if tag == "v" and type(data[1]) is str:
        return Verbatim(data[1])
    if tag == "m" and len(data) == 3 and type(data[1]) is str and type(data[2]) is list:
        return Message(data[1], **{k: _value(v) for k, v in data[2]})
    if tag == "t" and type(data[1]) is list:
        return tuple(_value(v) for v in data[1])
    raise CodecError(f"not a value: {tag!r}")
