"""The administrators' form for a dated standard: region, start, value, status and its document."""

from __future__ import annotations

from django import forms

from bangfu.accounts.access import in_area
from bangfu.policy.regions import PROVINCE, all_regions
from bangfu.standards.models import Status
from bangfu.standards.selectors import region_name
from bangfu.standards.services import area_path_of

from .base import StyledForm, date_input


def region_choices(user) -> list[tuple[str, str]]:
    """The province, cities and counties within the user's area, cities before their counties."""
    codes = [PROVINCE, *(r.code for r in sorted(all_regions(), key=lambda r: (r.city_code, not r.is_city, r.code)))]
    return [(code, f"{region_name(code)}({code})") for code in codes if in_area(user, area_path_of(code))]


class StandardForm(StyledForm):
    region_code = forms.ChoiceField(label="适用地区")
    start = forms.DateField(label="起始日期", widget=date_input())
    value = forms.DecimalField(label="数值", required=False, max_digits=16, decimal_places=4,
                               help_text="留空表示自该日起不再有该项标准")
    status = forms.ChoiceField(label="状态", choices=Status.choices, initial=Status.CONFIRMED)
    document = forms.CharField(label="依据文件", max_length=300,
                               help_text="文件名称和文号(如:宁民规〔2024〕1号),每个标准值都要有出处")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = region_choices(user)
