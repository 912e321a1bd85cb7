"""`QuickSelect` renders in Python what Django's Select renders through a template per option (the ledger's budget
form lists a province's unions: over a hundred): the same markup, attributes of a field in error included."""

from __future__ import annotations

import re

import pytest
from django import forms

from bangfu.web.forms.base import QuickSelect, StyledForm

CHOICES = [("", "请选择"), (1, "江苏省总工会"), (2, "南京市总工会"), (15, "南京市玄武区总工会 & <分会>")]


class Pair(StyledForm):
    quick = forms.TypedChoiceField(label="工会", coerce=int, choices=CHOICES, widget=QuickSelect, help_text="说明")
    django = forms.TypedChoiceField(label="工会", coerce=int, choices=CHOICES, help_text="说明")


def same(form: Pair) -> None:
    quick, django = (re.sub(r">\s+<", "><", str(form[name])).replace(name, "X") for name in ("quick", "django"))
    assert quick == django


@pytest.mark.parametrize("data", [None, {"quick": "2", "django": "2"}, {"quick": "abc", "django": "abc"}, {}])
def test_the_same_markup_as_djangos_select(data) -> None:
    form = Pair(data, initial={"quick": 15, "django": 15})
    if data is not None:
        form.is_valid()
    same(form)
    assert 'selected' in str(form["quick"]) or data in ({"quick": "abc", "django": "abc"}, {})
    assert "&amp; &lt;分会&gt;" in str(form["quick"])
