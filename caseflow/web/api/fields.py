"""What the API accepts in a JSON body or a query, field by field: each field both reads a value (refusing what
it does not accept, with an error code) and writes its own JSON Schema, so the OpenAPI document and the API
cannot disagree. Text goes through the one rule for text from outside (``domain.text``)."""
from __future__ import annotations

from dataclasses import dataclass

from ...domain import text
from ...services.errors import InvalidInput

MUST_BE_TEXT, INVALID_CHOICE, REQUIRED = "must_be_text", "invalid_choice", "required"


class FieldError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_MISSING = object()


@dataclass(frozen=True)
class Text:
    """A string. ``required``: present, with something visible; otherwise it may be absent or null (empty).
    ``one_line`` folds tabs and line breaks into a space; ``email`` is one plain address."""

    max_length: int | None = None
    required: bool = False
    one_line: bool = True
    email: bool = False
    example: str | None = None

    def read(self, value) -> str:
        if value is _MISSING or value is None:
            if self.required:
                raise FieldError(REQUIRED)
            return ""
        if not isinstance(value, str):
            raise FieldError(MUST_BE_TEXT)
        if self.email:
            if value != value.strip() or (self.max_length and len(value) > self.max_length):
                raise FieldError(text.INVALID_EMAIL)  # the document's idn-email has no surrounding space
            try:
                return text.email_address(value)
            except text.TextError as exc:
                raise FieldError(exc.code) from None
        try:
            return text.clean(value, one_line=self.one_line, required=self.required, max_length=self.max_length)
        except text.TextError as exc:
            raise FieldError(exc.code) from None

    def schema(self) -> dict:
        out: dict = {"type": "string" if self.required else ["string", "null"]}
        if self.email:
            out["format"] = "idn-email"
        else:
            out["pattern"] = text.PATTERN_REQUIRED if self.required else text.PATTERN
            out["description"] = ("No control characters other than tab and line breaks, no lone surrogates"
                                  + ("; tabs and line breaks become a space." if self.one_line else ".")
                                  + (" Not only white space." if self.required else ""))
        if self.required:
            out["minLength"] = 1
        if self.max_length:
            out["maxLength"] = self.max_length
        if self.example:
            out["example"] = self.example
        return out


@dataclass(frozen=True)
class Choice:
    """One of ``values``; absent (or null when ``nullable``) gives ``default``."""

    values: tuple[str, ...]
    required: bool = False
    nullable: bool = False
    default: str | None = None

    def read(self, value):
        if value is _MISSING or (value is None and self.nullable):
            if self.required:
                raise FieldError(REQUIRED)
            return self.default
        if not isinstance(value, str) or value not in self.values:
            raise FieldError(INVALID_CHOICE)
        return value

    def schema(self) -> dict:
        if self.nullable:
            return {"type": ["string", "null"], "enum": [*self.values, None]}
        return {"type": "string", "enum": list(self.values)}


@dataclass(frozen=True)
class Id:
    """A whole number or null: the id of a row (the service says whether there is one)."""

    required = False

    def read(self, value):
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise FieldError(INVALID_CHOICE)
        return value

    def schema(self) -> dict:
        return {"type": ["integer", "null"]}


def read_body(data: dict, fields: dict) -> dict:
    """Every field of ``fields`` read from the JSON object ``data``; all refusals at once as InvalidInput."""
    values, errors = {}, {}
    for name, field in fields.items():
        try:
            values[name] = field.read(data.get(name, _MISSING))
        except FieldError as exc:
            errors[name] = exc.code
    if errors:
        raise InvalidInput(errors)
    return values


def body_schema(fields: dict) -> dict:
    return {"type": "object", "required": [n for n, f in fields.items() if f.required],
            "properties": {n: f.schema() for n, f in fields.items()}}


@dataclass(frozen=True)
class Count:
    """A whole number from ``minimum`` to ``maximum`` in the query; absent gives ``default``."""

    minimum: int
    maximum: int
    default: int

    def read(self, raw: str | None) -> int:
        if raw is None:
            return self.default
        value = raw
        if not (value.isascii() and value.isdigit()) or not self.minimum <= int(value) <= self.maximum:
            raise FieldError("page_size")
        return int(value)

    def schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum, "default": self.default}


def read_query(args, name: str, field: Count) -> int:
    try:
        return field.read(args.get(name))
    except FieldError as exc:
        raise InvalidInput({name: exc.code}) from None
