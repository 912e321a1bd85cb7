"""Small forms of the household file (documents, income) and of user administration."""

from __future__ import annotations

from django import forms

from bangfu.accounts.models import Department, Role
from bangfu.accounts.selectors import organisation_list
from bangfu.common import clock
from bangfu.registry import choices as c

from .base import StyledForm, blank


class DocumentForm(StyledForm):
    doc_type = forms.ChoiceField(label="材料类型", choices=c.DocumentType.choices)
    file = forms.FileField(label="文件(PDF、JPG、PNG,10MB以内)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


class IncomeForm(StyledForm):
    month = forms.DateField(label="月份", input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    source = forms.ChoiceField(label="收入来源", choices=c.IncomeSource.choices)
    amount = forms.DecimalField(label="金额(元)", min_value=0, max_digits=12, decimal_places=2)

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month > clock.today():
            raise forms.ValidationError("不能登记未来月份的收入")
        return month


class UserForm(StyledForm):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(label="初始密码(至少10位)", widget=forms.PasswordInput(render_value=False),
                               min_length=10)
    organisation = forms.TypedChoiceField(label="所属工会", coerce=int)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    department = forms.ChoiceField(label="部门(仅部门数据专员)", required=False,
                                   choices=blank("无", Department.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisation_list(user=user)}
        self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
