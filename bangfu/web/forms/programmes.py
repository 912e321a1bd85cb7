"""Forms of the programme pages: a programme, a round, a line's adjustment, a payee, a return file."""

from __future__ import annotations

from django import forms

from bangfu.ledger.models import FundSource
from bangfu.programmes.models import AccountKind, Delivery, PeriodKind, ProgrammeKind

from .base import StyledForm, date_input


class ProgrammeForm(StyledForm):
    union = forms.TypedChoiceField(label="主办工会", coerce=int)
    name = forms.CharField(label="项目名称", max_length=100)
    kind = forms.ChoiceField(label="规则", choices=ProgrammeKind.choices)
    fund_source = forms.ChoiceField(label="资金来源", choices=FundSource.choices)
    budget = forms.DecimalField(label="项目预算(元)", required=False, max_digits=14, decimal_places=2, min_value=0)
    refuse_over_budget = forms.BooleanField(label="超出预算不予审核", required=False)
    period_kind = forms.ChoiceField(label="发放周期", choices=PeriodKind.choices)
    delivery = forms.ChoiceField(label="发放方式", choices=Delivery.choices)
    goods_description = forms.CharField(label="实物名称及数量", required=False, max_length=200)
    fixed_amount = forms.DecimalField(label="每户定额(元,自定项目)", required=False, max_digits=12, decimal_places=2)
    bank_format = forms.TypedChoiceField(label="代发文件格式", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, unions=(), formats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = [(u.pk, u.name) for u in unions]
        self.fields["bank_format"].choices = [("", "—")] + [(f.pk, f.name) for f in formats]


class RoundForm(StyledForm):
    union = forms.TypedChoiceField(label="发放工会(本工会范围)", coerce=int)
    paid_on = forms.DateField(label="发放日期", widget=date_input())
    period_day = forms.DateField(label="所属期(期内任一日,默认同发放日期)", required=False, widget=date_input())
    title = forms.CharField(label="批次名称", max_length=100, required=False)

    def __init__(self, *args, unions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].choices = [(u.pk, u.name) for u in unions]


class AdjustForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label="发放金额(元)", required=False, max_digits=12, decimal_places=2)
    reason = forms.CharField(label="调整原因", max_length=200)
    exclude = forms.BooleanField(label="剔除出本批次", required=False)


class PayeeForm(StyledForm):
    member = forms.TypedChoiceField(label="领款人", coerce=int)
    bank_name = forms.CharField(label="开户行", max_length=100)
    account_kind = forms.ChoiceField(label="账户类型", choices=AccountKind.choices)
    account_number = forms.CharField(label="账号", max_length=40)
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)  # 0: no payee when read

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]

    def clean(self):
        data = super().clean()
        if "version" in self.errors:  # a hidden field: its error goes to the top, where the user sees it
            del self.errors["version"]
            self.add_error(None, "版本号(version)无效,请刷新页面后重试")
        return data


class ReturnFileForm(StyledForm):
    file = forms.FileField(label="银行回盘文件(.xlsx 或 .csv,UTF-8 或 GBK)")
