"""The one way an answer is written as JSON: the command line, the API and the web pages send the same bytes."""

from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import encode_basestring  # the C function json uses for a string when ensure_ascii=False


def _number(x: object) -> float:
    if isinstance(x, Decimal):
        return float(x)
    raise TypeError(f"{type(x).__name__} is not JSON serialisable")


# One encoder for every answer (json.dumps with options makes one per call): money as numbers, Chinese as it is.
# No check for cycles (an answer is a tree of fresh dicts and lists): it cost a tenth of a batch's encoding.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_number, check_circular=False)


def answer_json(answer: dict) -> str:
    """An answer (or an error object) as one line of JSON, without the newline."""
    return _ENCODER.encode(answer)


ANSWER = ("as_of", "region", "category", "benefits", "not_eligible", "total_cash")
BENEFIT = ("code", "article", "member", "title", "kind", "amount", "details", "explanation")
REFUSAL = ("code", "article", "member", "reason")


class _Unusual(Exception):
    """A value the batch writer does not know how to write: the answer is written by `answer_json`."""


def answers_jsonl(items: list[dict | str]) -> str:
    """A batch as JSON Lines: each answer as `answer_json` writes it, each string (an error line already
    written) as it is, a newline after each.

    A batch's answers repeat their strings (titles, explanations, member ids) and share their `details`
    (explain.py): each is encoded once per batch and its JSON reused, where the encoder wrote every
    occurrence again; so is the head of an entry (code, article, member, title, kind). The pieces are joined
    once for the batch (64 MB of text for 10⁴ hardship households, copied once, not at every level).
    Answers are laid out as the format orders them; one that is not exactly an answer of that shape (other
    keys or order, a value of another type) is written by `answer_json`.
    """
    encode = _ENCODER.encode
    strings: dict[str, str] = {}
    numbers: dict[tuple, str] = {}
    heads: dict[tuple, str] = {}
    details_of: dict[int, str] = {}  # by identity: every answer of the batch, so every `details`, is alive
    parts: list[str] = []
    add, extend = parts.append, parts.extend

    def text(x: object) -> str:
        out = strings.get(x)  # type: ignore[call-overload]
        if out is None:
            if type(x) is not str:
                raise _Unusual
            out = strings[x] = encode_basestring(x)
        return out

    def head(key: tuple) -> str:
        """`{"code": …, "article": …, "member": …, ` then `"title": …, "kind": …, "amount": ` for a benefit,
        `"reason": ` for a refusal."""
        code, article, member = key[:3]
        if type(article) is not int:
            raise _Unusual
        out = f'{{"code": {text(code)}, "article": {int.__repr__(article)}, '
        out += f'"member": {"null" if member is None else text(member)}, '
        out += f'"title": {text(key[3])}, "kind": {text(key[4])}, "amount": ' if len(key) > 3 else '"reason": '
        heads[key] = out
        return out

    def amount(x: object) -> str:
        if x is None:
            return "null"
        if type(x) is not Decimal:
            raise _Unusual
        key = x.as_tuple()  # exact: -0.00 equals 0.00 (and hashes alike) but is written -0.0
        out = numbers.get(key)
        if out is None:
            out = numbers[key] = encode(x)
        return out

    def details(x: object) -> str:
        if type(x) is not dict:
            raise _Unusual
        out = details_of[id(x)] = encode(x)
        return out

    def one(a: dict) -> None:
        if type(a) is not dict or tuple(a) != ANSWER:
            raise _Unusual
        as_of, region, category, entitled, refused, total = a.values()
        if type(entitled) is not list or type(refused) is not list:
            raise _Unusual
        extend(('{"as_of": ', text(as_of), ', "region": ', text(region), ', "category": ', text(category),
                ', "benefits": ['))
        separator = ""
        for e in entitled:
            if tuple(e) != BENEFIT:
                raise _Unusual
            code, article, member, title, kind, money, figures, explanation = e.values()
            key = (code, article, member, title, kind)
            first = heads.get(key) or head(key)
            if type(article) is not int:  # True is 1 as a key, but written true
                raise _Unusual
            extend((separator, first, amount(money), ', "details": ', details_of.get(id(figures)) or details(figures),
                    ', "explanation": ', strings.get(explanation) or text(explanation), "}"))
            separator = ", "
        add('], "not_eligible": [')
        separator = ""
        for e in refused:
            if tuple(e) != REFUSAL:
                raise _Unusual
            code, article, member, reason = e.values()
            key = (code, article, member)
            first = heads.get(key) or head(key)
            if type(article) is not int:
                raise _Unusual
            extend((separator, first, strings.get(reason) or text(reason), "}"))
            separator = ", "
        extend(('], "total_cash": ', amount(total), "}\n"))

    for item in items:
        if type(item) is str:
            extend((item, "\n"))
            continue
        mark = len(parts)
        try:
            one(item)
        except (_Unusual, AttributeError, TypeError):  # TypeError: a value that is no dictionary key
            del parts[mark:]
            extend((encode(item), "\n"))
    return "".join(parts)
