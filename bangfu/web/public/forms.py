"""政策自测: plain questions about a family, turned into the assessment format's document (spec/assessment.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache

from django import forms

from bangfu.policy.regions import regions_on
from bangfu.registry import choices as c

from ..forms.base import (
    FixedChoiceField,
    FixedMultipleChoiceField,
    FixedTypedChoiceField,
    StyledForm,
    date_input,
)

MEMBER_SLOTS = 6  # the worker and up to five others: no script needed to add a row
ASSUMED = "assumed"  # the category the income suggests (the union's own verification decides)
YES_NO = [("no", "否"), ("yes", "是")]
HEALTH = [("healthy", "健康或一般疾病"), ("serious", "患大重病"), ("disabled_severe", "重度残疾(一、二级)"),
          ("disabled", "残疾(三、四级)")]
STAGE_YEARS = [(str(n), f"{n}年级") for n in range(1, 7)]
RELATIONS = [r for r in c.Relation.choices if r[0] != c.Relation.SELF]


def _region_choices(day: datetime.date) -> list:
    """Cities and their districts in use on `day`, grouped by city (python-stdnum's data, as the engine reads)."""
    regions = regions_on(day)
    cities = [r for r in regions if r.is_city]
    groups = []
    for city in cities:
        options = [(city.code, f"{city.name_on(day)}(全市)")]
        options += [(r.code, r.name_on(day)) for r in regions if r.city_code == city.code and not r.is_city]
        groups.append((city.name_on(day), options))
    return groups


class FamilyForm(StyledForm):
    """The household's questions; its members come from `MemberForm`s. Made by `family_form`, which gives it the
    regions in use on the day."""

    region = FixedChoiceField(label="家庭所在地(市、县区)")
    category = FixedChoiceField(
        label="工会是否已认定您家为困难职工家庭?",
        choices=[(ASSUMED, "不清楚或尚未认定(按收入估计)"), (c.Category.HARDSHIP, "已认定为困难职工家庭"),
                 (c.Category.EXTREME_HARDSHIP, "已认定为特困职工家庭")])
    monthly_income = forms.DecimalField(label="全家每月总收入(元)", min_value=0, max_value=10_000_000,
                                        max_digits=12, decimal_places=2,
                                        help_text="工资、养老金、经营收入等全家收入合计,不含低保金")
    dibao = FixedTypedChoiceField(label="是否正在领取城市低保?", choices=YES_NO, coerce=lambda v: v == "yes",
                                  widget=forms.RadioSelect)
    causes = FixedMultipleChoiceField(label="致困原因(可多选)", required=False, choices=c.Cause.choices,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("dibao", "causes"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


@lru_cache(maxsize=4)
def _family_form_on(day: datetime.date) -> type[FamilyForm]:
    """FamilyForm with the day's regions as its fixed choices: built once a day, not normalised for every form."""
    region = FixedChoiceField(label=FamilyForm.base_fields["region"].label, choices=_region_choices(day))
    return type("FamilyForm", (FamilyForm,), {"region": region, "__module__": __name__})


def family_form(data=None, *, day: datetime.date, **kwargs) -> FamilyForm:
    """The household's questions, its region one of those in use on `day`."""
    return _family_form_on(day)(data, **kwargs)


class MemberForm(StyledForm):
    """One person of the household; a slot left without a relation is nobody."""

    worker = False
    relation = FixedChoiceField(label="与职工本人的关系", required=False, choices=[("", "(无此人)"), *RELATIONS])
    sex = FixedChoiceField(label="性别", required=False, choices=[("", "请选择"), *c.Sex.choices])
    birth_date = forms.DateField(label="出生日期", required=False, widget=date_input())
    employment = FixedChoiceField(label="工作情况", required=False, choices=c.Employment.choices,
                                  initial=c.Employment.EMPLOYED)
    work_ability = FixedChoiceField(label="劳动能力", required=False, choices=c.WorkAbility.choices,
                                    initial=c.WorkAbility.FULL)
    health = FixedChoiceField(label="健康状况", required=False, choices=HEALTH)
    resident_medical_insurance = forms.BooleanField(label="参加城乡居民医保", required=False)
    stage = FixedChoiceField(label="在读学段", required=False, choices=[("", "不在读"), *c.SchoolStage.choices])
    year = FixedTypedChoiceField(label="年级(该学段第几年)", required=False, choices=STAGE_YEARS, coerce=int,
                                 empty_value=1)
    institution = FixedChoiceField(label="学校性质", required=False, choices=c.Institution.choices,
                                   initial=c.Institution.PUBLIC)
    excellent = forms.BooleanField(label="品学兼优", required=False)
    business = FixedChoiceField(label="经营(创业)", required=False, choices=[("", "无"), *c.BusinessKind.choices])
    business_since = forms.DateField(label="登记(开办)日期", required=False, widget=date_input())

    @property
    def present(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.cleaned_data.get("relation"))

    def clean(self):
        data = super().clean()
        if not data.get("relation"):
            return data
        for name in ("sex", "birth_date"):
            if not data.get(name):
                self.add_error(name, f"请填写{self.fields[name].label}")
        if data.get("business") and not data.get("business_since"):
            self.add_error("business_since", "有经营时请填写登记(开办)日期")
        return data

    def member(self, index: int) -> dict:
        """This person as a member of the assessment document."""
        d = self.cleaned_data
        health = d.get("health") or "healthy"
        member = {
            "id": "m0" if self.worker else f"m{index}", "relation": d["relation"], "sex": d["sex"],
            "birth_date": d["birth_date"].isoformat(),
            "employment": d.get("employment") or c.Employment.NONE,
            "work_ability": d.get("work_ability") or c.WorkAbility.FULL,
            "disability_grade": {"disabled_severe": 2, "disabled": 3}.get(health),
            "serious_illness": health == "serious",
            "resident_medical_insurance": bool(d.get("resident_medical_insurance")),
        }
        if d.get("stage"):
            member["school"] = {"stage": d["stage"], "year": d.get("year") or 1,
                                "institution": d.get("institution") or c.Institution.PUBLIC,
                                "excellent": bool(d.get("excellent"))}
        if d.get("business"):
            member["business"] = {"kind": d["business"], "registered_on": d["business_since"].isoformat()}
        return member


class WorkerForm(MemberForm):
    """The worker, in the first slot: always there."""

    worker = True
    relation = FixedChoiceField(label="与职工本人的关系", required=False, choices=[(c.Relation.SELF, "职工本人")])


def member_forms(data=None) -> list[MemberForm]:
    return [(WorkerForm if i == 0 else MemberForm)(data, prefix=f"m{i}") for i in range(MEMBER_SLOTS)]


def document(family: FamilyForm, members: list[MemberForm], *, as_of: datetime.date, category: str) -> dict:
    """The assessment document of a verified (核定), archived household of `category`: the hypothesis shown."""
    d = family.cleaned_data
    people = [form.member(i) for i, form in enumerate(members) if form.cleaned_data.get("relation")]
    return {"as_of": as_of.isoformat(), "region": d["region"], "category": category, "archived": True,
            "dibao": d["dibao"], "monthly_income": float(Decimal(d["monthly_income"])),
            "hardship_causes": list(d.get("causes") or []), "members": people}
