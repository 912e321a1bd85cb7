"""The batch writer of JSON Lines (`answers_jsonl`) writes the same text as `answer_json`, answer by answer."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from bangfu.policy import assess_many
from bangfu.policy.answer_json import answer_json, answers_jsonl
from bangfu.policy.synth import population_table, to_documents


@pytest.mark.parametrize("hardship_only", [False, True])
def test_a_batch_of_synthetic_answers_is_written_as_answer_json_writes_each(hardship_only: bool) -> None:
    documents = to_documents(population_table(600, 5, "2025-06-01", hardship_only=hardship_only))
    answers = assess_many(documents)
    assert sum(len(a["benefits"]) for a in answers) > 600  # entries sharing texts and details, as in a real run
    assert answers_jsonl(answers) == "".join(answer_json(a) + "\n" for a in answers)


def _answer() -> dict:
    return assess_many([to_documents(population_table(50, 3, "2025-06-01", hardship_only=True))[0]])[0]


@pytest.mark.parametrize("change", [
    lambda a: a["benefits"][0].update(explanation='引号"、反斜杠\\、换行\n、NUL\x00和\u2028'),
    lambda a: a["benefits"][0].update(amount=None),
    lambda a: a["benefits"][0].update(amount=1.5),  # a float, not a Decimal
    lambda a: a["benefits"][0].update(amount=Decimal("NaN")),
    lambda a: a["benefits"][0].update(article=True),  # a bool is an int, written true
    lambda a: a["benefits"][0].update(member=7),
    lambda a: a["benefits"][0].update(details=[1, 2]),
    lambda a: a["benefits"][0].update(extra="keys out of the format"),
    lambda a: a["benefits"].append({"explanation": "x", "code": "keys in another order"}),
    lambda a: a["not_eligible"].append({"code": "c", "article": 2, "member": None, "reason": "理由\t"}),
    lambda a: a.update(total_cash=Decimal("12.345")),
    lambda a: a.update(benefits=tuple(a["benefits"])),
    lambda a: a.pop("region"),
])
def test_an_unusual_answer_is_written_as_answer_json_writes_it(change) -> None:
    plain, unusual = _answer(), _answer()
    change(unusual)
    batch = [plain, unusual, copy.deepcopy(plain)]
    assert answers_jsonl(batch) == "".join(answer_json(a) + "\n" for a in batch)


def test_an_error_object_is_written_as_answer_json_writes_it_and_a_line_as_it_is() -> None:
    error = {"line": 3, "error": {"path": "as_of", "message": "日期2019-02-30不存在"}}
    answer = _answer()
    assert answers_jsonl([answer, error, "{already written}", answer]) == (
        f"{answer_json(answer)}\n{answer_json(error)}\n{{already written}}\n{answer_json(answer)}\n")


def test_true_is_not_written_as_the_1_it_equals() -> None:
    one, true = _answer(), _answer()
    one["benefits"][0]["article"], true["benefits"][0]["article"] = 1, True
    assert answers_jsonl([one, true]) == f"{answer_json(one)}\n{answer_json(true)}\n"
    assert '"article": true' in answers_jsonl([one, true]).splitlines()[1]


@pytest.mark.parametrize("first, second", [(Decimal("0.00"), Decimal("-0.00")), (Decimal("-0.00"), Decimal("0.00"))])
def test_minus_nought_is_not_written_as_the_nought_it_equals(first, second) -> None:
    one, other = _answer(), _answer()
    one["benefits"][0]["amount"], other["benefits"][0]["amount"] = first, second
    assert answers_jsonl([one, other]) == f"{answer_json(one)}\n{answer_json(other)}\n"


@pytest.mark.parametrize("x", [-0.001, -0.0, -0.004999, 0.0, 0.001])
def test_an_amount_that_rounds_to_nought_is_written_0_never_minus_0(x) -> None:
    from bangfu.policy.explain import money

    found = money(x)
    assert found == 0 and not found.is_signed() and str(found) == "0.00"
    assert answer_json({"amount": found}) == '{"amount": 0.0}'
