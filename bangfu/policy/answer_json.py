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


def answers_json(answers: list[dict]) -> list[str]:
    """`answer_json` of each answer of a batch: the same text, written some twice as fast.

    A batch's answers repeat their strings (titles, explanations, member ids) and share their `details`
    (explain.py): each is encoded once per batch and its JSON reused, where the encoder wrote every
    occurrence again. Answers are laid out as the format orders them; one that is not exactly an answer
    of that shape (other keys or order, a value of another type) is written by `answer_json`.
    """
    encode = _ENCODER.encode
    strings: dict[str, str] = {}
    numbers: dict[Decimal, str] = {}
    details_of: dict[int, str] = {}  # by identity: every answer of the batch, so every `details`, is alive

    def text(x: object) -> str:
        try:
            return strings[x]  # type: ignore[index]
        except (KeyError, TypeError):
            if type(x) is not str:
                raise _Unusual from None
            out = strings[x] = encode_basestring(x)
            return out

    def member(x: object) -> str:
        return "null" if x is None else text(x)

    def integer(x: object) -> str:
        if type(x) is not int:
            raise _Unusual
        return int.__repr__(x)

    def amount(x: object) -> str:
        if x is None:
            return "null"
        if type(x) is not Decimal:
            raise _Unusual
        out = numbers.get(x)
        if out is None:
            out = numbers[x] = encode(x)
        return out

    def details(x: object) -> str:
        out = details_of.get(id(x))
        if out is None:
            if type(x) is not dict:
                raise _Unusual
            out = details_of[id(x)] = encode(x)
        return out

    def benefit(e: dict) -> str:
        if tuple(e) != BENEFIT:
            raise _Unusual
        code, article, who, title, kind, money, figures, explanation = e.values()
        return (f'{{"code": {text(code)}, "article": {integer(article)}, "member": {member(who)}, '
                f'"title": {text(title)}, "kind": {text(kind)}, "amount": {amount(money)}, '
                f'"details": {details(figures)}, "explanation": {text(explanation)}}}')

    def refusal(e: dict) -> str:
        if tuple(e) != REFUSAL:
            raise _Unusual
        code, article, who, reason = e.values()
        return (f'{{"code": {text(code)}, "article": {integer(article)}, "member": {member(who)}, '
                f'"reason": {text(reason)}}}')

    def one(a: dict) -> str:
        if type(a) is not dict or tuple(a) != ANSWER:
            raise _Unusual
        as_of, region, category, benefits, refused, total = a.values()
        if type(benefits) is not list or type(refused) is not list:
            raise _Unusual
        return (f'{{"as_of": {text(as_of)}, "region": {text(region)}, "category": {text(category)}, '
                f'"benefits": [{", ".join([benefit(b) for b in benefits])}], '
                f'"not_eligible": [{", ".join([refusal(r) for r in refused])}], "total_cash": {amount(total)}}}')

    out = []
    for a in answers:
        try:
            out.append(one(a))
        except (_Unusual, AttributeError):
            out.append(encode(a))
    return out
