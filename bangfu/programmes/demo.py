"""Demo rounds (once per database): payees for 玄武区's archived households, budgets, a finished 送温暖 round
with paid and failed lines, and a 金秋助学 round awaiting the reviewer's approval — all through the services."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from stdnum import luhn

from bangfu.accounts.models import Organisation, User
from bangfu.audit.services import audit_log
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.common.spreadsheets import csv_bytes
from bangfu.ledger.services import budget_set
from bangfu.registry.models import Household, Member

from . import bankfiles, services
from .models import BankFormat, Line, LineState, Payee, Programme

BANKS = ("工商银行", "农业银行", "中国银行", "建设银行", "交通银行", "邮储银行", "江苏银行", "南京银行")
FAILURES = ("账户已销户", "户名与账号不符", "账户冻结")
_payee = blank_factory(Payee)


def _card(rng: random.Random) -> str:
    body = "6222" + "".join(str(rng.randrange(10)) for _ in range(14))
    return body + luhn.calc_check_digit(body)


def _payees(rng: random.Random, county: Organisation, actor: User) -> int:
    """A bank card for the worker of most archived households of the county (some left without: 无有效账户)."""
    workers = (Member.objects.filter(household__union__path__startswith=county.path, relation="self",
                                     removed=False, household__status__in=list(ARCHIVED_STATES),
                                     household__payee__isnull=True).order_by("household_id")
               .values_list("household_id", "id"))
    rows = [(h, m) for h, m in workers if rng.random() < 0.9]
    fast_insert(Payee, [_payee(household_id=h, member_id=m, bank_name=f"{rng.choice(BANKS)}南京玄武支行",
                               account_number=_card(rng), updated_by_id=actor.pk) for h, m in rows])
    audit_log(actor=actor, action="payee.set", object_type="payee", area_path=county.path,
              after={"count": len(rows), "source": "demo"})
    return len(rows)


def _return_file(round_, rng: random.Random) -> bytes:
    rows = []
    for line in Line.objects.filter(round=round_, state=LineState.OPEN).order_by("id"):
        failed = rng.random() < 0.12
        rows.append([bankfiles.line_ref(line), line.account_number, line.payee_name, f"{line.amount:.2f}",
                     "失败" if failed else "成功", rng.choice(FAILURES) if failed else ""])
    if rows and all(r[4] == "成功" for r in rows):
        rows[-1][4:] = ["失败", FAILURES[0]]
    return csv_bytes(["业务参考号", "收款账号", "收款人户名", "金额", "状态", "说明"], rows)


def load_programmes_demo(*, seed: int = 2019) -> dict:
    """Once per database (nothing when a programme exists or the demo accounts are missing)."""
    if Programme.objects.exists():
        return {"rounds": 0}
    admin = User.objects.filter(username="admin_nj").first()
    reviewer = User.objects.filter(username="reviewer").first()
    county = Organisation.objects.filter(code="320102").first()
    if admin is None or reviewer is None or county is None:
        return {"rounds": 0}
    rng, today = random.Random(seed), clock.today()
    with transaction.atomic():
        payees = _payees(rng, county, admin)
        nanjing = county.parent
        for union, source, amount in ((nanjing, "union_funds", "300000"), (county, "union_funds", "80000"),
                                      (county, "fiscal", "50000")):
            budget_set(actor=admin, union=union, fund_source=source, year=today.year, amount=amount)
        generic = BankFormat.objects.filter(code="generic").first()
        warmth = services.programme_create(actor=admin, union=nanjing, name=f"{today.year}年元旦春节送温暖",
                                           kind="send_warmth", fund_source="union_funds", budget="200000",
                                           bank_format=generic)
        school = services.programme_create(actor=admin, union=nanjing, name=f"{today.year}年金秋助学",
                                           kind="education_aid", fund_source="fiscal", budget="100000",
                                           bank_format=generic)
        done = services.round_create(actor=admin, programme=warmth, union=county,
                                     paid_on=today - datetime.timedelta(days=10), title="玄武区春节送温暖")
        done = services.round_submit(actor=admin, round_=done, version=done.version)
        done, _ = services.round_approve(actor=reviewer, round_=done, version=done.version)
        services.round_bank_file(actor=admin, round_=done, kind="xlsx")
        record = services.round_reconcile(actor=admin, round_=done, content=_return_file(done, rng),
                                          file_name="送温暖回盘.csv")
        waiting = services.round_create(actor=admin, programme=school, union=county, paid_on=today,
                                        title="玄武区金秋助学")
        if Line.objects.filter(round=waiting, included=True).exists():
            services.round_submit(actor=admin, round_=waiting, version=waiting.version)
    return {"rounds": 2, "payees": payees, "paid": record.paid, "failed": record.failed,
            "households": Household.objects.filter(union__path__startswith=county.path).count()}
