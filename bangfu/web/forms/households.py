"""The household form (the file's own facts) and the member form, shared by registering and editing."""

from __future__ import annotations

from django import forms

from bangfu.accounts.models import OrgLevel
from bangfu.common import clock
from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import mask_id_number
from bangfu.registry import choices as c
from bangfu.registry.validation import clean_household, clean_member

from ..selectors import union_choices
from .base import StyledForm, blank, date_input

PROPOSED = [(v, label) for v, label in c.Category.choices if v != c.Category.NONE]
GRADES = [(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]
HOUSEHOLD_KEYS = ("address", "phone", "proposed_category", "hardship_causes", "dibao", "dibao_edge",
                  "housing_area_m2", "owns_housing", "has_vehicle", "financial_assets", "property_notes", "notes")


def _hidden_version_error(form) -> None:
    """The version is a hidden field: its error goes to the top of the form, where the user sees it."""
    if "version" in form.errors:
        del form.errors["version"]
        form.add_error(None, "版本号(version)无效,请刷新页面后重试")


class HouseholdForm(StyledForm):
    union = forms.TypedChoiceField(label="所属工会", coerce=int)
    address = forms.CharField(label="家庭住址", max_length=200, widget=forms.TextInput(attrs={"autofocus": True}))
    phone = forms.CharField(label="联系电话", max_length=20, required=False,
                            help_text="手机号或带区号的固定电话")
    proposed_category = forms.ChoiceField(label="申请类别", choices=PROPOSED)
    hardship_causes = forms.MultipleChoiceField(label="致困原因(可多选)", choices=c.Cause.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    dibao = forms.BooleanField(label="享受城市低保", required=False)
    dibao_edge = forms.BooleanField(label="低保边缘户", required=False)
    owns_housing = forms.BooleanField(label="有自有住房", required=False)
    housing_area_m2 = forms.DecimalField(label="住房面积(平方米)", min_value=0, max_digits=8, decimal_places=2,
                                         required=False)
    has_vehicle = forms.BooleanField(label="有机动车", required=False)
    financial_assets = forms.DecimalField(label="金融资产(元)", min_value=0, max_digits=12, decimal_places=2,
                                          required=False)
    property_notes = forms.CharField(label="财产情况说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    # Editing: the file's version as the user saw it, so that a stale copy is refused, not saved over.
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, with_union: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_union:
            self.unions = {o.pk: o for o in union_choices(user=user, levels=(OrgLevel.GRASSROOTS, OrgLevel.COUNTY))}
            self.fields["union"].choices = [(pk, o.name) for pk, o in self.unions.items()]
            if user.organisation_id in self.unions:
                self.fields["union"].initial = user.organisation_id
        else:
            del self.fields["union"]
        self.union_division = None

    def clean(self):
        data = super().clean()
        _hidden_version_error(self)
        union = self.unions.get(data.get("union")) if "union" in self.fields else None
        division = union.division_code if union else self.union_division
        if division is None or self.errors:
            return data
        try:
            clean_household(self.service_data(), union_division=division, today=clock.today(), partial=False)
        except ValidationFailed as exc:
            self.add_domain_error(exc)
        return data

    def service_data(self) -> dict:
        """The household fields for the registry; the region is the union's own division."""
        data = {k: self.cleaned_data.get(k) for k in HOUSEHOLD_KEYS}
        data["hardship_causes"] = list(data["hardship_causes"] or [])
        for text in ("phone", "property_notes", "notes"):
            data[text] = data[text] or ""
        data["region_code"] = self.selected_union().division_code if "union" in self.fields else self.union_division
        return data

    def selected_union(self):
        return self.unions[self.cleaned_data["union"]]


class MemberForm(StyledForm):
    duplicate_of = None  # the household that already holds this ID number, when the user may see it

    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    id_number = forms.CharField(label="身份证号码", max_length=18, help_text="18位;出生日期和性别由号码自动得出",
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    relation = forms.ChoiceField(label="与职工本人关系", choices=c.Relation.choices)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    employment = forms.ChoiceField(label="就业状况", choices=c.Employment.choices, initial=c.Employment.NONE)
    employer = forms.CharField(label="工作单位", max_length=100, required=False)
    work_ability = forms.ChoiceField(label="劳动能力", choices=c.WorkAbility.choices, initial=c.WorkAbility.FULL)
    willing_to_work = forms.BooleanField(label="有就业愿望", required=False, initial=True)
    retirement_group = forms.ChoiceField(label="退休年龄类别", required=False,
                                         choices=blank("按性别默认", c.RetirementGroup.choices))
    health = forms.ChoiceField(label="健康状况", choices=c.Health.choices, initial=c.Health.HEALTHY)
    disability_grade = forms.TypedChoiceField(label="残疾等级", choices=blank("无", GRADES), coerce=int,
                                              empty_value=None, required=False)
    serious_illness = forms.BooleanField(label="大重病患者", required=False)
    resident_medical_insurance = forms.BooleanField(label="参加城乡居民医保", required=False)
    resident_pension_insurance = forms.BooleanField(label="参加城乡居民养老保险", required=False)
    poverty_alleviation_target = forms.BooleanField(label="城乡居民养老保险扶贫对象", required=False)
    school_stage = forms.ChoiceField(label="学段", required=False, choices=blank("不在学", c.SchoolStage.choices))
    school_year = forms.IntegerField(label="年级", min_value=1, max_value=10, required=False)
    school_institution = forms.ChoiceField(label="学校性质", required=False,
                                           choices=blank("请选择", c.Institution.choices))
    school_name = forms.CharField(label="学校名称", max_length=100, required=False)
    school_excellent = forms.BooleanField(label="品学兼优", required=False)
    business_kind = forms.ChoiceField(label="创业类型", required=False, choices=blank("未创业", c.BusinessKind.choices))
    business_name = forms.CharField(label="经营主体名称", max_length=100, required=False)
    business_credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    business_registered_on = forms.DateField(label="注册日期", required=False, widget=date_input())
    business_employees = forms.IntegerField(label="带动就业人数", min_value=0, required=False)
    business_premises = forms.ChoiceField(label="经营场所", required=False, choices=blank("请选择", c.Premises.choices))
    business_first_time = forms.BooleanField(label="初次创业", required=False)
    business_other_rent_subsidy = forms.BooleanField(label="已享受其他租金补贴", required=False)
    # Editing: the member's version as the user saw it (optimistic concurrency, like the household's).
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    GROUPS = {
        "basic": ("name", "id_number", "relation", "phone"),
        "work": ("employment", "employer", "work_ability", "retirement_group", "willing_to_work"),
        "health": ("health", "disability_grade", "serious_illness", "resident_medical_insurance",
                   "resident_pension_insurance", "poverty_alleviation_target"),
        "school": ("school_stage", "school_year", "school_institution", "school_name", "school_excellent"),
        "business": ("business_kind", "business_name", "business_credit_code", "business_registered_on",
                     "business_employees", "business_premises", "business_first_time",
                     "business_other_rent_subsidy"),
    }

    def __init__(self, *args, current_id_number: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Editing: the stored number is never put in the page (showing it is a logged action); blank keeps it.
        self.current_id_number = current_id_number
        if current_id_number:
            field = self.fields["id_number"]
            field.required = False
            field.help_text = "不修改请留空;如需更正,请输入新的18位号码"
            field.widget.attrs["placeholder"] = mask_id_number(current_id_number)

    def clean(self):
        data = super().clean()
        _hidden_version_error(self)
        if not self.errors:
            try:
                clean_member(self.service_data(), today=clock.today())
            except ValidationFailed as exc:
                self.add_domain_error(exc)
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["id_number"] = (data.get("id_number") or "").strip().upper() or self.current_id_number
        data["business_employees"] = data.get("business_employees") or 0
        return data

    def group(self, name: str) -> list:
        return [self[f] for f in self.GROUPS[name]]

    def basic(self):
        return self.group("basic")

    def work(self):
        return self.group("work")

    def health_fields(self):
        return self.group("health")

    def school(self):
        return self.group("school")

    def business(self):
        return self.group("business")


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        forms_ = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if [f.cleaned_data["relation"] for f in forms_].count(c.Relation.SELF) != 1:
            raise forms.ValidationError("家庭成员中须有且只有一名职工本人(与职工本人关系选“本人”)")
        seen = {}
        for form in forms_:
            number = form.service_data()["id_number"]
            if number in seen:
                form.add_error("id_number", f"与第{seen[number]}位成员的身份证号码重复")
            seen.setdefault(number, forms_.index(form) + 1)


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0, min_num=1,
                                      validate_min=True, max_num=20, validate_max=True)


def member_initial(member) -> dict:
    return {f: getattr(member, f) for f in MemberForm.base_fields if f != "id_number"}
