"""Search and filter forms of the list pages (households, audit log); bad values fall back to no filter."""

from __future__ import annotations

from django import forms

from bangfu.accounts.models import OrgLevel
from bangfu.accounts.selectors import organisation_list
from bangfu.audit.labels import ACTION_LABELS, OBJECT_TYPE_LABELS
from bangfu.cases.targets import DIBAO_CHOICES
from bangfu.cases.workflow import IN_ARCHIVE, IN_ARCHIVE_LABEL, CaseState
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR, page_number
from bangfu.registry import choices as c

from ..selectors import filter_choices
from .base import StyledForm, blank, date_input

FILTER_KEYS = ("q", "region", "category", "cause", "status")


class HouseholdFilterForm(StyledForm):
    q = forms.CharField(label="搜索", required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、身份证号码(可输前或后6位以上)或电话",
                                                      "accesskey": "f", "autocomplete": "off"}))
    region = forms.ChoiceField(label="行政区划", required=False)
    union = forms.TypedChoiceField(label="所属工会", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label="核定类别", required=False, choices=blank("全部", c.Category.choices))
    cause = forms.ChoiceField(label="致困原因", required=False, choices=blank("全部", c.Cause.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=blank("全部", [(IN_ARCHIVE, IN_ARCHIVE_LABEL),
                                                                               *CaseState.choices]))
    closed_year = forms.TypedChoiceField(label="退出年度", required=False, coerce=int, empty_value=None)
    closed_as = forms.ChoiceField(label="退出方式", required=False, choices=blank("脱困或解困", [
        (CaseState.EXITED.value, CaseState.EXITED.label), (CaseState.RELIEVED.value, CaseState.RELIEVED.label)]))
    # Article 2's figures: helped in a year (a net payment or a measure completed), the archive against the 低保 line
    helped = forms.TypedChoiceField(label="已帮扶年度", required=False, coerce=int, empty_value=None)
    relapsed = forms.TypedChoiceField(label="返贫年度", required=False, coerce=int, empty_value=None)
    dibao = forms.ChoiceField(label="人均收入与低保标准", required=False, choices=blank("全部", DIBAO_CHOICES))
    page = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)  # read by page_number()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        county_or_below = user.organisation.level in (OrgLevel.COUNTY, OrgLevel.GRASSROOTS)
        levels = None if county_or_below else (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY)
        regions, unions = filter_choices(user=user, levels=levels)
        self.fields["region"].choices = blank("全部", regions)
        years = [(y, f"{y}年") for y in range(clock.today().year, FIRST_YEAR - 1, -1)]
        self.fields["closed_year"].choices = blank("全部", years)
        self.fields["helped"].choices = blank("全部", years)
        self.fields["relapsed"].choices = blank("全部", years)
        # Grassroots unions are many (thousands in a province): listed only for a county's own users (`levels`).
        self.unions = {o.pk: o for o in unions}
        # A grassroots union not listed (a report's drill links to it) is still a filter, if it is in the area.
        wanted = str(self.data.get("union", "")) if self.is_bound else ""
        if wanted.isdigit() and int(wanted) not in self.unions:
            self.unions.update({o.pk: o for o in organisation_list(user=user).filter(pk=int(wanted))})
        indent = {"province": "", "city": "", "county": "\u3000", "grassroots": "\u3000\u3000"}
        self.fields["union"].choices = blank("全部", [(pk, indent.get(o.level, "") + o.name)
                                                     for pk, o in self.unions.items()])

    def filters(self) -> dict:
        """Keyword arguments of the registry's household_queryset; an invalid form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        out = {k: data.get(k) or "" for k in FILTER_KEYS}
        out["union"] = self.unions.get(data.get("union")) if data.get("union") else None
        # Closed that year as exited or relieved (Article 2's families leaving hardship), or as the one chosen.
        out["closed_year"] = data.get("closed_year")
        out["closed_as"] = ([data["closed_as"]] if data.get("closed_as")
                            else [CaseState.EXITED.value, CaseState.RELIEVED.value])
        out["helped"], out["dibao"] = data.get("helped"), data.get("dibao") or ""
        out["relapsed"] = data.get("relapsed")
        return out

    def page_number(self) -> int:
        """A page that a bad or huge number cannot push past the database's integers (nor clear the filters)."""
        return page_number(self.data.get("page"))


class AuditFilterForm(StyledForm):
    actor = forms.CharField(label="操作人用户名", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False,
                                    choices=blank("全部", list(OBJECT_TYPE_LABELS.items())))
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    since = forms.DateField(label="起始日期", required=False, widget=date_input())
    until = forms.DateField(label="截止日期", required=False, widget=date_input())
    page = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)  # read by page_number()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every action the trail knows, by its Chinese label (read when the form is made: apps register theirs).
        self.fields["action"].choices = blank("全部", sorted(ACTION_LABELS.items(), key=lambda item: item[0]))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期")
        return data

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: data.get(k) or None for k in ("actor", "action", "object_type", "object_id", "since", "until")}

    def page_number(self) -> int:
        """A page that a bad or huge number cannot push past the database's integers (nor clear the filters)."""
        return page_number(self.data.get("page"))
