"""Forms of the data exchange pages: a household file to import, a department's file, a note that closes a flag."""

from __future__ import annotations

from django import forms
from django.conf import settings

from bangfu.common import clock
from bangfu.exchange.models import AlertKind, ImportMode

from ..selectors import union_choices
from .base import StyledForm, date_input

ACCEPT = ".xlsx,.xls,.xlsb,.ods,.csv"


def _size_check(upload) -> None:
    """Refused before the file is read into memory; the service checks again what it receives."""
    limit = settings.EXCHANGE_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(f"文件过大:不能超过{limit // (1024 * 1024)}MB")


class HouseholdImportForm(StyledForm):
    file = forms.FileField(label="家庭文件(.xlsx、.xls、.xlsb、.ods 或 CSV)",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    union = forms.TypedChoiceField(label="默认所属工会(行中未填「所属工会代码」时)", coerce=int)
    mode = forms.ChoiceField(label="导入方式", choices=ImportMode.choices, initial=ImportMode.ALL,
                             widget=forms.RadioSelect,
                             help_text="「全部无误才导入」:任何一行有错误,都不写入;「只导入无误的家庭」:有错误的家庭整户不导入。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = {u.pk: u for u in union_choices(user=user)}
        self.fields["union"].choices = [(pk, u.name) for pk, u in self.unions.items()]
        if user.organisation_id in self.unions:
            self.fields["union"].initial = user.organisation_id
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _size_check(upload)
        return upload


class DepartmentUploadForm(StyledForm):
    file = forms.FileField(label="本部门数据文件(.xlsx、.xls、.xlsb、.ods 或 CSV,格式见说明)",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    as_of = forms.DateField(label="数据日期(行中未填「数据日期」时)", required=False, widget=date_input())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _size_check(upload)
        return upload

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > clock.today():
            raise forms.ValidationError("数据日期不能晚于今天")
        return day


class NoteForm(StyledForm):
    note = forms.CharField(label="处理说明", max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": "例如:入户核实,已于3月离职,提供离职证明"}))


class AlertFilterForm(StyledForm):
    kind = forms.ChoiceField(label="类型", required=False)
    state = forms.ChoiceField(label="状态", required=False)
    page = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部"), *AlertKind.choices]
        self.fields["state"].choices = [("open", "待处理"), ("resolved", "已处理"), ("all", "全部")]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state") or "open"
        return {"kind": data.get("kind") or "", "state": "" if state == "all" else state}
