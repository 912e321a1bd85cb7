"""The assessment input document (../shared/spec/assessment.md), validated to the letter; bad input names its field."""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import TYPE_CHECKING, Any

from bangfu.policy.messages import NOT_AN_OBJECT, not_json, pydantic_message
from bangfu.policy.regions import region_error

if TYPE_CHECKING:
    from bangfu.policy.documents import Household

CATEGORIES = ("none", "hardship", "extreme_hardship")
CAUSES = (
    "illness", "disability", "education", "disaster", "unemployment",
    "single_parent", "work_injury", "enterprise_difficulty", "other",
    "accident",  # version 2 (意外); last, so that the bit of every older cause stays as it was
)
RELATIONS = ("self", "spouse", "child", "parent", "sibling", "grandchild", "other")
SEXES = ("male", "female")
RETIREMENT_GROUPS = ("male", "female_50", "female_55")
EMPLOYMENTS = ("employed", "registered_unemployed", "unemployed", "retired", "student", "none")
WORK_ABILITIES = ("full", "partial", "none")
# Index 0 of these three means "no school" / "no business" in the columnar tables.
STAGES = ("", "preschool", "primary", "junior", "senior_high", "secondary_vocational", "higher",
          "adult_higher_regular")
INSTITUTIONS = ("public", "private_inclusive", "private_nonprofit", "private_forprofit")
BUSINESS_KINDS = ("", "individual", "enterprise", "farmer_cooperative", "private_non_enterprise", "online")
PREMISES = ("incubator", "rented", "own", "none")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Bounds of version 2 ("Bad input").
AS_OF_FIRST, AS_OF_LAST = datetime.date(1995, 1, 1), datetime.date(2100, 12, 31)
BIRTH_FIRST = datetime.date(1900, 1, 1)
MAX_DEPTH = 32  # the document itself is level 1


class InputError(ValueError):
    """A document that breaks the format: `path` names the field (`$` for the document itself)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# The models (pydantic) live in `documents`, imported on first use: pydantic's import and the models' building
# were a sixth of a second of every `bangfu assess-table`, which validates no document.
_MODELS = frozenset({"Date", "AsOf", "BirthDate", "Money", "School", "Business", "Member", "Household"})


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from bangfu.policy import documents

        return getattr(documents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")



def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _document_order(raw: Any, loc: tuple) -> tuple:
    """Sort key placing an error where its field stands in the document (absent fields last)."""
    key: list[int] = []
    node = raw
    for part in loc:
        if isinstance(node, dict):
            keys = list(node)
            key.append(keys.index(part) if part in keys else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            key.append(part)
            node = node[part] if part < len(node) else None
        else:
            break
    return tuple(key)


def _check_members(household: Household) -> None:
    seen: set[str] = set()
    selves = 0
    for i, member in enumerate(household.members):
        if member.id in seen:
            raise InputError(f"members[{i}].id", f"成员id重复:{member.id!r}")
        seen.add(member.id)
        if member.relation == "self":
            selves += 1
            if selves > 1:
                raise InputError(f"members[{i}].relation", MORE_THAN_ONE_SELF)
    if selves == 0:
        raise InputError("members", NO_SELF)


TOO_DEEP = f"嵌套层数超过{MAX_DEPTH}层"
MORE_THAN_ONE_SELF = "relation为self(职工本人)的成员多于一名"
NO_SELF = "没有relation为self(职工本人)的成员"
NUL = "含有NUL字符(\\u0000)"
NOT_FINITE = "不是有限的数(NaN或无穷大)"
_BRACKETS = {bytes: re.compile(rb'"(?:[^"\\]|\\.)*"|([\[{])|[\]}]'),
             str: re.compile(r'"(?:[^"\\]|\\.)*"|([\[{])|[\]}]')}
# What may hide a NUL character or a number that is not finite (NaN, Infinity, or one past float's range:
# an exponent of three digits, or 309 digits): only then is a document walked in full. Digits are all
# written 0 first, so that plain substring tests (C speed) find them; a regular expression cost more
# than the validation itself.
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_SUSPECT = (b"\\u0000", b"NaN", b"Infinity", b"e000", b"E000", b"e+000", b"E+000", b"0" * 309)


def _suspect(text: bytes | str) -> bool:
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    digits = raw.translate(_ZEROS)  # "\\u0000", NaN and Infinity read the same after it
    return any(map(digits.__contains__, _SUSPECT))  # no generator frame per pattern: 10⁴ lines, 10⁵ calls


def too_deep(text: bytes | str) -> bool:
    """JSON text nested more than MAX_DEPTH levels (brackets inside strings do not count).

    Read before parsing: Python's parser gives up with a RecursionError some thousand levels down.
    """
    kind = str if isinstance(text, str) else bytes
    opening = ("[", "{") if kind is str else (b"[", b"{")
    if text.count(opening[0]) + text.count(opening[1]) <= MAX_DEPTH:
        return False
    depth = 0
    for match in _BRACKETS[kind].finditer(bytes(text) if kind is bytes else text):
        if match.lastindex:
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif match.end() - match.start() == 1:  # a closing bracket; a string is at least two characters
            depth -= 1
    return False


def _value_error(document: Any) -> tuple[tuple, str] | None:
    """The first NUL character, non-finite number or nesting too deep, in document order.

    A clean document (nearly all) is told by its JSON text, written in C; only a suspect one is walked,
    with a stack, not by recursion: any depth is answered, never a RecursionError.
    """
    try:
        text = json.dumps(document, allow_nan=False, check_circular=False)
    except (ValueError, TypeError, RecursionError):
        text = None
    if text is not None and "\\u0000" not in text and not too_deep(text):
        return None
    stack: list[tuple[tuple, Any, int]] = [((), document, 1)]
    while stack:
        loc, node, depth = stack.pop()
        if isinstance(node, float):
            if not math.isfinite(node):
                return loc, NOT_FINITE
        elif isinstance(node, str):
            if "\x00" in node:
                return loc, NUL
        elif isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return (), TOO_DEEP
            if isinstance(node, dict):
                if any(isinstance(k, str) and "\x00" in k for k in node):
                    return loc, NUL
                children = [((*loc, k), v, depth + 1) for k, v in node.items()]
            else:
                children = [((*loc, i), v, depth + 1) for i, v in enumerate(node)]
            stack.extend(reversed(children))
    return None


def parse_document(document: Any) -> Household:
    """Validate one document (a dict, or JSON text); raise InputError naming the first bad field."""
    if isinstance(document, (str, bytes, bytearray)):
        if too_deep(document):
            raise InputError("$", TOO_DEEP)
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise InputError("$", not_json(exc)) from None
    if not isinstance(document, dict):
        raise InputError("$", NOT_AN_OBJECT)
    found = _value_error(document)
    if found is not None and not found[0]:
        raise InputError("$", found[1])
    from bangfu.policy.documents import Household, ValidationError, peek_as_of

    try:
        household = Household.model_validate(document, context={"as_of": peek_as_of(document)})
    except ValidationError as exc:
        first = min(exc.errors(), key=lambda e: _document_order(document, e["loc"]))
        if found is None or _document_order(document, first["loc"]) < _document_order(document, found[0]):
            raise InputError(_path(first["loc"]), pydantic_message(first)) from None
    if found is not None:
        raise InputError(_path(found[0]), found[1])
    _check_members(household)
    return household


def _dates_fit(household: Household) -> bool:
    """The checks against `as_of` that the fast path defers (validation had no as_of to compare with)."""
    as_of = household.as_of
    if region_error(household.region, as_of):
        return False
    for m in household.members:
        if m.birth_date > as_of or (m.business is not None and m.business.registered_on > as_of):
            return False
    return True


def parse_json(text: bytes | str) -> Household:
    """`parse_document` for JSON text, validated in pydantic's core in one pass.

    A bad document is parsed again the exact way, so that the error named is the same.
    """
    if too_deep(text) or _suspect(text):
        return parse_document(text)
    from bangfu.policy.documents import Household, ValidationError

    try:
        household = Household.model_validate_json(text, context={"as_of": None})
    except ValidationError:
        household = None
    if household is None or not _dates_fit(household):
        return parse_document(text)
    _check_members(household)
    return household
