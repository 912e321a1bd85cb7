"""Demo bills: a few hospital stays of archived demo households this year, recorded through the same service as a
caseworker's, so that a fresh system shows the 医疗费用 card, 结算单 and a second bill chaining on the first."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from bangfu.accounts.models import Role, User
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.policy.money import CENT
from bangfu.registry import choices as c
from bangfu.registry.models import Household

from .models import MedicalBill
from .services import medical_bill_record

HOSPITALS = (("南京鼓楼医院", "tertiary"), ("江苏省人民医院", "tertiary"), ("无锡市第二人民医院", "tertiary"),
             ("苏州市立医院", "tertiary"), ("玄武区某社区卫生服务中心", "community"), ("某区人民医院", "secondary"))
DEMO_UNION = "320102-0001"


def load_medical_demo(*, seed: int = 2019, households: int = 12) -> int:
    """Once per database: one or two bills for some archived households' members (the demo caseworker's union
    first); returns the number of bills."""
    if MedicalBill.objects.exists():
        return 0
    actor = User.objects.filter(role=Role.ADMIN, is_active=True, organisation__level="province").first()
    if actor is None:
        return 0
    rng = random.Random(seed)
    today = clock.today()
    start = datetime.date(today.year, 1, 1)
    archived = list(Household.objects.filter(status__in=ARCHIVED_STATES).select_related("union")
                    .order_by("-union__code", "pk"))
    chosen = [h for h in archived if h.union.code == DEMO_UNION][:4]
    chosen += rng.sample([h for h in archived if h not in chosen], min(households, len(archived) - len(chosen)))
    count = 0
    for household in chosen:
        members = list(household.members.filter(removed=False))
        member = next((m for m in members if m.serious_illness), members[0])
        for _ in range(rng.choice((1, 1, 2))):
            total = Decimal(rng.choice((8000, 26000, 48000, 80000, 150000)))
            hospital, level = rng.choice(HOSPITALS)
            day = start + datetime.timedelta(days=rng.randrange(max(1, (today - start).days + 1)))
            medical_bill_record(actor=actor, household=household, member=member, data={
                "billed_on": day, "hospital": hospital, "hospital_level": level, "kind": "inpatient",
                "scheme": "resident" if member.resident_medical_insurance else "employee",
                "mutual_aid": member.relation == c.Relation.SELF and rng.random() < 0.5,
                "total": total, "in_scope": (total * Decimal("0.8")).quantize(CENT)})
            count += 1
    return count
