"""Template helpers of the list pages (bangfu/web/templatetags/web.py): the same HTML as Django's own, cheaper."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from bangfu.web.templatetags.web import display, quick_select


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("", "全部"), ("a&b", "甲<乙>"), ("\"q\"", mark_safe("<b>粗</b>")), (3, "三")])


@pytest.mark.parametrize("value", ["", "a&b", "3"])
def test_quick_select_escapes_as_format_html_and_marks_the_value_chosen(value):
    html = quick_select(_Form({"kind": value})["kind"])
    assert html.startswith('<select name="kind" id="id_kind">') and html.endswith("</select>")
    assert '<option value="a&amp;b"' in html and ">甲&lt;乙&gt;</option>" in html
    assert '<option value="&quot;q&quot;"><b>粗</b></option>' in html  # safe text as it is
    chosen = [part for part in html.split("<option")[1:] if " selected" in part]
    assert len(chosen) == 1 and chosen[0].startswith(f' value="{value.replace("&", "&amp;")}"')


@pytest.mark.django_db
def test_display_is_the_fields_own_label_and_a_value_not_among_the_choices_as_it_is(users):
    user = users["caseworker_g1"]
    assert display(user, "role") == user.get_role_display() != user.role  # the Chinese label, not the code
    user.role = "no-such-role"
    assert display(user, "role") == "no-such-role" == user.get_role_display()


@pytest.mark.parametrize("name", ["web:household_detail", "web:round_detail", "web:alert_resolve"])
def test_pk_url_is_the_address_url_gives(name):
    from django.urls import reverse

    from bangfu.web.templatetags.web import pk_url

    for pk in (1, 42, 9081726354, "7"):
        assert pk_url(name, pk) == reverse(name, args=[pk])


def test_pk_url_follows_the_address_prefix_and_refuses_an_address_of_other_arguments():
    from django.urls import reverse, set_script_prefix

    from bangfu.web.templatetags.web import pk_url

    set_script_prefix("/bangfu/")
    try:
        assert pk_url("web:household_detail", 5) == "/bangfu/households/5/" == reverse("web:household_detail", args=[5])
    finally:
        set_script_prefix("/")
    assert pk_url("web:household_detail", 5) == "/households/5/"
    with pytest.raises(Exception):  # noqa: B017, PT011 - NoReverseMatch or ValueError: no address of one id
        pk_url("web:plan_detail", 5)


def test_quick_select_escapes_a_plain_label_after_the_same_text_marked_safe():
    """The options are kept per process by their choices: a plain label equal to a safe one already seen (a str and a
    SafeString of the same characters are equal keys) is escaped all the same, not given the safe one's HTML."""

    class Safe(forms.Form):
        kind = forms.ChoiceField(choices=[("x", mark_safe("<i>斜</i>"))])

    class Plain(forms.Form):
        kind = forms.ChoiceField(choices=[("x", "<i>斜</i>")])

    assert "><i>斜</i></option>" in quick_select(Safe()["kind"])
    assert ">&lt;i&gt;斜&lt;/i&gt;</option>" in quick_select(Plain()["kind"])
    assert "><i>斜</i></option>" in quick_select(Safe()["kind"])


def test_quick_select_keeps_each_option_once_however_many_lists_it_is_in():
    """A province's union filter with one more union drilled into (`?union=` from a report) is another list of ~290
    options: what the process keeps grows with the options seen, not with each list of them (~200 KB a list)."""
    import gc
    import tracemalloc

    shared = [(n, f"某某区总工会{n}") for n in range(300)]

    class Filter(forms.Form):
        union = forms.ChoiceField()

    def render(extra: int) -> str:
        form = Filter({"union": str(10_000 + extra)})
        form.fields["union"].choices = [*shared, (10_000 + extra, f"基层工会{extra}")]
        return quick_select(form["union"])

    render(-1)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        shown = [f'<option value="{10_000 + n}" selected>基层工会{n}</option>' in render(n) for n in range(40)]
        gc.collect()  # the forms of the renders (cycles through their bound fields)
        grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
    finally:
        tracemalloc.stop()
    assert all(shown)
    assert grown < 40 * 5_000, grown  # a few hundred bytes for each new option: not a copy of each list
