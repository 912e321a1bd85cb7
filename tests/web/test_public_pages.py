"""The public pages (Article 29): the self-check answers as the engine does, stores nothing, is rate-limited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.shortcuts import render
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.common import clock
from bangfu.policy import assess_households
from bangfu.policy.schema import parse_document
from bangfu.standards.selectors import effective_parameters
from bangfu.web.public.forms import MEMBER_SLOTS, family_form, member_forms
from bangfu.web.public.views import INITIAL

pytestmark = pytest.mark.django_db


def _form(**family) -> dict:
    """A 特困 family in 南京市玄武区: the worker, out of work and ill, and a daughter in her second university year."""
    today = timezone.localdate()
    data = {"region": "320102", "category": "extreme_hardship", "monthly_income": "800", "dibao": "no",
            "m0-relation": "self", "m0-sex": "female", "m0-birth_date": f"{today.year - 48}-03-01",
            "m0-employment": "registered_unemployed", "m0-work_ability": "partial", "m0-health": "serious",
            "m0-resident_medical_insurance": "on",
            "m1-relation": "child", "m1-sex": "female", "m1-birth_date": f"{today.year - 20}-05-01",
            "m1-employment": "student", "m1-work_ability": "full", "m1-health": "healthy",
            "m1-stage": "higher", "m1-year": "2", "m1-institution": "public", "m1-excellent": "on"}
    for i in range(2, MEMBER_SLOTS):
        data[f"m{i}-relation"] = ""
    data.update(family)
    return data


def test_the_page_opens_without_login_and_sets_no_session(client):
    response = client.get(reverse("web:public_selfcheck"))
    assert response.status_code == 200
    assert "政策自测" in response.content.decode()
    assert "sessionid" not in response.cookies


def test_the_answer_is_the_engines_for_the_document_it_built():
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("web:public_selfcheck"), _form())
    assert response.status_code == 200, response.content.decode()[:2000]
    document = response.context["document"]
    assert document["category"] == "extreme_hardship" and document["archived"] is True
    engine = assess_households([parse_document(document)], parameters=effective_parameters())[0]
    assert response.context["answer"] == engine
    codes = [row["code"] for row in response.context["rows"]]
    assert codes == [b["code"] for b in engine["benefits"]]
    page = response.content.decode()
    assert "励志奖学金" in page and "通知第17条" in page and "可向当地教育部门申请" in page
    assert "以工会核查认定" in page
    assert "sessionid" not in response.cookies


def test_income_decides_the_assumed_category_and_the_page_says_so(client):
    response = client.post(reverse("web:public_selfcheck"), _form(category="assumed", monthly_income="100000"))
    assert response.status_code == 200
    assert response.context["guess"]["category"] == "none"
    assert response.context["rows"] == []
    low = client.post(reverse("web:public_selfcheck"), _form(category="assumed", monthly_income="0"))
    assert low.context["guess"]["category"] in ("extreme_hardship", "hardship")
    assert "按您填写的收入估计" in low.content.decode()


def test_a_bad_answer_names_the_field_in_chinese(client):
    response = client.post(reverse("web:public_selfcheck"), _form(**{"m1-birth_date": "", "monthly_income": "-5"}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "请填写出生日期" in page
    assert "answer" not in response.context


def test_the_self_check_is_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.BANGFU_RATE_PUBLIC_PAGES = "2/m"
    settings.RATELIMIT_ENABLE = True  # off in the test settings except where a test checks it
    statuses = [client.post(reverse("web:public_selfcheck"), _form()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "请求过于频繁" in client.post(reverse("web:public_selfcheck"), _form()).content.decode()
    cache.clear()


def test_the_public_medical_calculator_gives_the_familys_share(client):
    today = timezone.localdate()
    response = client.get(reverse("web:public_medical"), {
        "billed_on": today.isoformat(), "region": "320100", "category": "extreme_hardship", "relation": "self",
        "scheme": "resident", "kind": "inpatient", "hospital_level": "tertiary", "total": "80000",
        "in_scope": "60000"})
    assert response.status_code == 200, response.content.decode()[:1500]
    assert response.context["answer"]["out_of_pocket"] <= response.context["ordinary"]["out_of_pocket"]
    assert "家庭约需自付" in response.content.decode()
    bad = client.get(reverse("web:public_medical"), {"total": "-1", "region": "320100"})
    assert bad.status_code == 422


def test_the_notice_pages_open_without_login(client):
    for name in ("web:public_notice", "web:public_notice_print"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "第29条" in response.content.decode()



def test_edit_brings_the_answers_back_into_the_form(client):
    result = client.post(reverse("web:public_selfcheck"), _form())
    carried = dict(result.context["carried"])
    assert carried["m1-stage"] == "higher"
    again = client.post(reverse("web:public_selfcheck"), {**carried, "edit": "1"})
    assert again.status_code == 200
    assert "answer" not in again.context
    assert again.context["members"][1]["stage"].value() == "higher"


def _without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_the_blank_form_each_process_keeps_is_the_page_the_template_renders(rf, today):
    """The blank questions are rendered once a day per process: the page equals a fresh rendering of the forms."""
    served = Client().get(reverse("web:public_selfcheck"))
    request = rf.get(reverse("web:public_selfcheck"))
    fresh = render(request, "web/public/selfcheck.html",
                   {"family": family_form(day=today, initial=INITIAL), "members": member_forms(), "today": today})
    assert _without_csrf(served.content) == _without_csrf(fresh.content)
    assert 'value="320102"' in served.content.decode() and "港闸区" not in served.content.decode()


def test_the_blank_form_lists_the_regions_in_use_on_the_day(client, time_machine):
    """港闸区 (320611) merged into 崇川区 in 2020: a visitor in 2019 could choose it, one today cannot."""
    assert "港闸区" not in client.get(reverse("web:public_selfcheck")).content.decode()
    time_machine.move_to(datetime.datetime(2019, 6, 1, 10, tzinfo=clock.ZONE))
    page = client.get(reverse("web:public_selfcheck")).content.decode()
    assert '<option value="320611">港闸区</option>' in page


def test_the_forms_share_their_choices_but_not_their_state():
    """Choices are made once on the class; a form's widgets (classes, error marks) stay its own."""
    first, second = member_forms({"m1-relation": "child"})[1:3]
    assert first.fields["sex"].choices is second.fields["sex"].choices
    assert not first.is_valid()  # a child without sex and birth date
    assert "is-invalid" in first.fields["sex"].widget.attrs["class"]
    assert second.is_valid() and "is-invalid" not in second.fields["sex"].widget.attrs["class"]
    worker = member_forms()[0]
    assert [value for value, _ in worker.fields["relation"].choices] == ["self"]
    assert "" in [value for value, _ in first.fields["relation"].choices]


def test_the_answers_carried_for_edit_are_escaped(client):
    response = client.post(reverse("web:public_selfcheck"), _form(note='"><script>alert(1)</script>'))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page
    assert '<input type="hidden" name="note" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in page
    assert '<input type="hidden" name="m1-stage" value="higher">' in page
