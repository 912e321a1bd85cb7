"""Forms of the plan page (the five clear points, measures) and of the ledger (payments, decisions, budgets)."""

from __future__ import annotations

from django import forms

from bangfu.cases.models import Department, MeasureKind, MeasureStatus
from bangfu.common.bounds import FIRST_YEAR, YEAR_MAX
from bangfu.ledger.models import EntryKind, FundSource

from .base import QuickSelect, StyledForm, blank, date_input

TEXT = {"widget": forms.Textarea(attrs={"rows": 2}), "required": False}
CASEWORKER_KINDS = [(v, label) for v, label in MeasureKind.choices if v != MeasureKind.ENTITLEMENT]


class PlanForm(StyledForm):
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    family_situation = forms.CharField(label="家庭情况清", **TEXT)
    hardship_causes = forms.CharField(label="致困原因清", **TEXT)
    assistance_received = forms.CharField(label="受助情况清", **TEXT)
    needs = forms.CharField(label="帮扶需求清", **TEXT)
    targets_and_measures = forms.CharField(label="目标举措清", **TEXT)
    goals = forms.CharField(label="帮扶目标", **TEXT)

    def plan_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class OwnerFormMixin:
    def set_owners(self, owners) -> None:
        self.owners = {u.pk: u for u in owners}
        self.fields["owner"].choices = [(u.pk, f"{u}({u.organisation.name})") for u in owners]


class MeasureForm(OwnerFormMixin, StyledForm):
    kind = forms.ChoiceField(label="措施类型", choices=CASEWORKER_KINDS)
    title = forms.CharField(label="措施内容", max_length=200)
    owner = forms.TypedChoiceField(label="责任人", coerce=int)
    due_on = forms.DateField(label="完成期限", widget=date_input())
    department = forms.ChoiceField(label="责任部门", choices=Department.choices, initial=Department.UNION)
    amount = forms.DecimalField(label="金额(元,可选)", min_value=0, max_digits=12, decimal_places=2, required=False)
    notes = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_owners(owners)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = self.owners[data["owner"]]
        return data


class MeasureUpdateForm(OwnerFormMixin, StyledForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", choices=MeasureStatus.choices)
    owner = forms.TypedChoiceField(label="责任人", coerce=int)
    due_on = forms.DateField(label="完成期限", widget=date_input())

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_owners(owners)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["owner"] = self.owners[data["owner"]]
        return data


class PaymentForm(StyledForm):
    measure = forms.TypedChoiceField(label="帮扶措施", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="类型", choices=EntryKind.choices, initial=EntryKind.CASH)
    amount = forms.DecimalField(label="金额(元;实物填折合金额)", min_value=0.01, max_digits=14, decimal_places=2)
    goods_description = forms.CharField(label="实物名称及数量", max_length=200, required=False)
    paid_on = forms.DateField(label="发放日期", widget=date_input())
    fund_source = forms.ChoiceField(label="资金来源", choices=FundSource.choices)
    description = forms.CharField(label="事项", max_length=200)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = {m.pk: m for m in measures}
        self.fields["measure"].choices = blank("不关联措施", [(m.pk, f"{m.plan.year}年:{m.title}") for m in measures])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["measure"] = self.measures.get(data["measure"])
        return data


class DecisionForm(StyledForm):
    reason = forms.CharField(label="审核意见", max_length=500, required=False)


class BudgetForm(StyledForm):
    union = forms.TypedChoiceField(label="工会", coerce=int, widget=QuickSelect)  # a province's: over a hundred
    fund_source = forms.ChoiceField(label="资金来源", choices=FundSource.choices)
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=YEAR_MAX)
    amount = forms.DecimalField(label="预算金额(元)", min_value=0, max_digits=14, decimal_places=2)
    refuse_over = forms.BooleanField(label="不得超支(超出时拒绝审核入账)", required=False)

    def __init__(self, *args, unions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = {u.pk: u for u in unions}
        self.fields["union"].choices = [(u.pk, u.name) for u in unions]
