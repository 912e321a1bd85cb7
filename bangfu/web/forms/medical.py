"""Forms of medical bills and of the settlement calculator (Articles 6-12)."""

from __future__ import annotations

from django import forms

from bangfu.medical.models import Kind, Level, Scheme
from bangfu.policy.regions import cities_on
from bangfu.registry import choices as c

from .base import StyledForm, date_input

MONEY = {"min_value": 0, "max_value": 100_000_000, "max_digits": 12, "decimal_places": 2}


class BillForm(StyledForm):
    member = forms.TypedChoiceField(label="成员", coerce=int)
    billed_on = forms.DateField(label="出院(结算)日期", widget=date_input())
    admitted_on = forms.DateField(label="入院日期", widget=date_input(), required=False)
    hospital = forms.CharField(label="医院名称", max_length=100, required=False)
    hospital_level = forms.ChoiceField(label="医院等级", choices=Level.choices, initial=Level.SECONDARY)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, initial=Kind.INPATIENT)
    scheme = forms.ChoiceField(label="参保类型", choices=Scheme.choices)
    total = forms.DecimalField(label="医疗总费用(元)", **MONEY)
    in_scope = forms.DecimalField(label="政策范围内费用(元)", **MONEY,
                                  help_text="医保目录内的费用(政策范围内),不超过总费用")
    mutual_aid = forms.BooleanField(label="职工本人参加职工医疗互助", required=False)
    emergency = forms.BooleanField(label="急救", required=False)
    unpaid = forms.BooleanField(label="无力缴费(拖欠急救费用)", required=False)
    notes = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.name}({m.get_relation_display()})") for m in members]

    def clean(self):
        data = super().clean()
        if data.get("total") is not None and data.get("in_scope") is not None and data["in_scope"] > data["total"]:
            self.add_error("in_scope", "政策范围内费用不能超过医疗总费用")
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "member"}
        return {k: ("" if v is None else v) for k, v in data.items()}


class CalculatorForm(StyledForm):
    """A bill before the family is admitted (or of a member picked from a file)."""

    billed_on = forms.DateField(label="结算日期", widget=date_input())
    region = forms.ChoiceField(label="参保地")
    category = forms.ChoiceField(label="家庭类别", choices=[(c.Category.HARDSHIP, "困难职工家庭"),
                                                            (c.Category.EXTREME_HARDSHIP, "特困职工家庭")])
    relation = forms.ChoiceField(label="与职工关系", choices=c.Relation.choices, initial=c.Relation.SELF)
    scheme = forms.ChoiceField(label="参保类型", choices=Scheme.choices)
    serious_illness = forms.BooleanField(label="大重病患者", required=False)
    mutual_aid = forms.BooleanField(label="职工本人参加职工医疗互助", required=False)
    kind = forms.ChoiceField(label="类别", choices=Kind.choices, initial=Kind.INPATIENT)
    hospital_level = forms.ChoiceField(label="医院等级", choices=Level.choices, initial=Level.TERTIARY)
    total = forms.DecimalField(label="医疗总费用(元)", **MONEY)
    in_scope = forms.DecimalField(label="政策范围内费用(元)", **MONEY)
    emergency = forms.BooleanField(label="急救", required=False)
    unpaid = forms.BooleanField(label="无力缴费", required=False)
    critical_base = forms.DecimalField(label="本年度此前大病保险累计合规费用(元)", required=False, **MONEY)
    assistance_base = forms.DecimalField(label="本年度此前医疗救助累计自负费用(元)", required=False, **MONEY)

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in cities_on(day)] if day else []

    def clean(self):
        data = super().clean()
        if data.get("total") is not None and data.get("in_scope") is not None and data["in_scope"] > data["total"]:
            self.add_error("in_scope", "政策范围内费用不能超过医疗总费用")
        return data

    def document(self, category: str | None = None) -> dict:
        """The settlement format's document; `category` "none" gives the ordinary insured person's."""
        d = self.cleaned_data
        hardship = category or d["category"]
        return {"as_of": d["billed_on"].isoformat(), "region": d["region"], "category": hardship,
                "archived": hardship != "none",
                "member": {"relation": d["relation"], "scheme": d["scheme"], "serious_illness": d["serious_illness"],
                           "mutual_aid": d["mutual_aid"]},
                "bill": {"kind": d["kind"], "hospital_level": d["hospital_level"], "total": float(d["total"]),
                         "in_scope": float(d["in_scope"]), "emergency": d["emergency"], "unpaid": d["unpaid"]},
                "year_to_date": {"critical_base": float(d.get("critical_base") or 0),
                                 "assistance_base": float(d.get("assistance_base") or 0)}}
