"""政策明白纸 (Article 29): handing the family its one-page leaflet is recorded in the file."""

from __future__ import annotations

from django.db import transaction

from bangfu.accounts.access import CHANGE
from bangfu.common.errors import ValidationFailed

from ..models import Case, CaseEvent
from .common import check_area, log_event


@transaction.atomic
def case_leaflet_print(*, actor, case: Case, caseworker: str, phone: str) -> CaseEvent:
    """A leaflet printed for the family: an entry in the file's history (流转记录) and its audit row; the case's
    state and version do not change."""
    check_area(actor, case.household.union.path, CHANGE, "未找到该帮扶档案")
    caseworker, phone = (caseworker or "").strip(), (phone or "").strip()
    if not caseworker:
        raise ValidationFailed("须填写经办人姓名", field="caseworker")
    if not phone:
        raise ValidationFailed("须填写经办人联系电话", field="phone")
    case = Case.objects.select_for_update().get(pk=case.pk)
    return log_event(actor=actor, case=case, action="print_leaflet",
                     reason=f"打印政策明白纸交家庭(经办人{caseworker},电话{phone})",
                     data={"caseworker": caseworker, "phone": phone})
