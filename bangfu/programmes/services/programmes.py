"""Programme use cases (an administrator sets one up) and the household's payee and bank account."""

from __future__ import annotations

from django.db import transaction
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError

from bangfu.accounts.access import CHANGE, SET_BUDGET, VIEW_ID_NUMBER, check_area, in_area, may
from bangfu.accounts.models import Organisation
from bangfu.audit.locking import lock_version
from bangfu.common.bounds import decimal_within, text_within
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.common.spreadsheets import FORMULA_MESSAGE, is_formula
from bangfu.ledger.models import FundSource
from bangfu.registry.models import Household, Member

from ..models import (
    AccountKind,
    BankFormat,
    Delivery,
    Payee,
    PeriodKind,
    Programme,
    ProgrammeKind,
    mask_account,
)
from .common import audit

PROGRAMME_FIELDS = ("name", "kind", "fund_source", "budget", "refuse_over_budget", "period_kind", "delivery",
                    "goods_description", "fixed_amount", "bank_format_id", "active")


def _snapshot(p: Programme) -> dict:
    return {f: (str(getattr(p, f)) if getattr(p, f) is not None else None) for f in PROGRAMME_FIELDS}


def _text(model, field: str, value, label: str, required: bool = True) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationFailed(f"须填写{label}", field=field)
    if is_formula(value):
        raise ValidationFailed(f"{label}{FORMULA_MESSAGE}", field=field)
    text_within(model, field, value)
    return value


@transaction.atomic
def programme_create(*, actor, union: Organisation, name: str, kind: str, fund_source: str, budget=None,
                     refuse_over_budget: bool = False, period_kind: str = PeriodKind.YEAR,
                     delivery: str = Delivery.BANK, goods_description: str = "", fixed_amount=None,
                     bank_format: BankFormat | None = None) -> Programme:
    """An administrator sets up a programme of their union or one below."""
    if not may(actor, SET_BUDGET) or not in_area(actor, union.path):
        raise AccessDenied("只有管理员可以为本级及下级工会设立帮扶项目")
    if kind not in ProgrammeKind.values:
        raise ValidationFailed("项目规则无效", field="kind")
    if fund_source not in FundSource.values:
        raise ValidationFailed("资金来源无效", field="fund_source")
    if period_kind not in PeriodKind.values:
        raise ValidationFailed("发放周期无效", field="period_kind")
    if delivery not in Delivery.values:
        raise ValidationFailed("发放方式无效", field="delivery")
    goods = _text(Programme, "goods_description", goods_description, "实物名称及数量",
                  required=delivery == Delivery.GOODS)
    if budget not in (None, ""):
        budget = decimal_within(Programme, "budget", budget, field="budget", label="项目预算", exact=True)
        if budget < 0:
            raise ValidationFailed("项目预算不能为负数", field="budget")
    else:
        budget = None
    if kind == ProgrammeKind.CUSTOM:
        fixed_amount = decimal_within(Programme, "fixed_amount", fixed_amount, field="fixed_amount",
                                      label="每户定额", exact=True)
        if fixed_amount <= 0:
            raise ValidationFailed("每户定额应大于零", field="fixed_amount")
    else:
        fixed_amount = None
    programme = Programme.objects.create(
        name=_text(Programme, "name", name, "项目名称"), kind=kind, union=union, fund_source=fund_source,
        budget=budget, refuse_over_budget=bool(refuse_over_budget), period_kind=period_kind, delivery=delivery,
        goods_description=goods if delivery == Delivery.GOODS else "", fixed_amount=fixed_amount,
        bank_format=bank_format if delivery == Delivery.BANK else None, created_by=actor)
    audit(actor, "programme.create", programme, union.path, after={"programme": programme.pk, "union": union.pk,
                                                                    **_snapshot(programme)},
          object_type="programme")
    return programme


def clean_account(number: str, kind: str) -> str:
    """Digits only, 12 to 30 of them; a bank card (16 to 19 digits) must pass the Luhn check (python-stdnum)."""
    compact = "".join(str(number or "").split())
    if not compact.isdigit():
        raise ValidationFailed("账号只能由数字组成", field="account_number")
    if kind == AccountKind.CARD:
        if not 16 <= len(compact) <= 19:
            raise ValidationFailed("银行卡号应为16到19位数字", field="account_number")
        try:
            luhn.validate(compact)
        except StdnumError as exc:
            raise ValidationFailed("银行卡号校验位不正确,请核对卡号", field="account_number") from exc
    elif not 12 <= len(compact) <= 30:
        raise ValidationFailed("账号应为12到30位数字", field="account_number")
    return compact


def _check_household(actor, household: Household) -> None:
    check_area(actor, household.union.path, CHANGE, "未找到该家庭档案")


STALE_PAYEE = "该户领款人及账户已被他人修改,请刷新后重试"


def payee_snapshot(payee: Payee) -> dict:
    """A payee's stored values, as a refused stale edit shows them (`current`); the account stays masked."""
    return {"member": payee.member_id, "bank_name": payee.bank_name, "account": mask_account(payee.account_number),
            "account_kind": payee.account_kind}


@transaction.atomic
def payee_set(*, actor, household: Household, member: Member, bank_name: str, account_number: str,
              account_kind: str = AccountKind.CARD, version: int | None = None) -> Payee:
    """Name the household's payee (one of its members) and their bank card or account. `version` is the payee's
    version as the user read it (0 or none: the household had no payee then); a change of an existing payee names
    it and is refused when stale (`lock_version`: 409 with the standard payload, 422 without a version)."""
    _check_household(actor, household)
    if member.household_id != household.pk or member.removed:
        raise ValidationFailed("领款人须为本户在册成员", field="member")
    if account_kind not in AccountKind.values:
        raise ValidationFailed("账户类型无效", field="account_kind")
    bank = _text(Payee, "bank_name", bank_name, "开户行")
    number = clean_account(account_number, account_kind)
    payee = Payee.objects.filter(household=household).first()
    if payee is None:
        before, payee = None, Payee(household=household)
    else:
        payee = lock_version(payee, version, snapshot=payee_snapshot, message=STALE_PAYEE,
                             trail={"object_type": "payee", "object_id": payee.pk, "action": "payee.set"})
        before = payee_snapshot(payee)
        payee.version += 1
    payee.member, payee.bank_name, payee.account_number = member, bank, number
    payee.account_kind, payee.updated_by = account_kind, actor
    payee.save()
    audit(actor, "payee.set", payee, household.union.path, before=before, object_type="payee",
          after={"household": household.pk, "member": member.pk, "bank_name": bank,
                 "account": mask_account(number), "account_kind": account_kind})
    return payee


@transaction.atomic
def payee_reveal_account(*, actor, payee: Payee) -> str:
    """The full account number, for someone allowed to see full ID numbers; logged."""
    check_area(actor, payee.household.union.path, VIEW_ID_NUMBER, "未找到该家庭档案")
    audit(actor, "payee.reveal_account", payee, payee.household.union.path, object_type="payee",
          after={"household": payee.household_id, "account": mask_account(payee.account_number)})
    return payee.account_number


def payee_get(*, user, household: Household) -> Payee | None:
    from bangfu.accounts.access import VIEW

    # The household's area, checked in memory (its union is read with it: `registry.selectors.household_get`).
    check_area(user, household.union.path, VIEW, "未找到该家庭档案")
    return Payee.objects.restrict(user, VIEW).select_related("member").filter(household=household).first()
