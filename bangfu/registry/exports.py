"""Excel export of the household list: what the user may see, ID numbers masked (text), choices in Chinese (核定类别
未核定 until decided), the export itself logged."""

from __future__ import annotations

import io

from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from bangfu.accounts.access import EXPORT, require
from bangfu.audit.services import audit_log, filters_for_audit
from bangfu.common import clock
from bangfu.common.ids import mask_id_number
from bangfu.common.spreadsheets import append_row

from . import choices as c
from .selectors import household_queryset

HEADERS = ["档案编号", "职工姓名", "身份证号码", "联系电话", "所属工会", "行政区划代码", "家庭住址", "状态",
           "申请类别", "核定类别", "致困原因", "低保", "低保边缘", "家庭人口"]
WIDTHS = [10, 10, 22, 14, 28, 12, 40, 10, 10, 10, 24, 6, 8, 8]
MAX_ROWS = 200_000
CAUSES = dict(c.Cause.choices)


def _row(h) -> list:
    return [
        h.pk, h.worker_name or "", mask_id_number(h.worker_id_number or ""), h.phone, h.union.name, h.region_code,
        h.address, h.get_status_display(), h.get_proposed_category_display(), c.verified_category_label(h.verified_category),
        "、".join(CAUSES.get(x, x) for x in h.hardship_causes), "是" if h.dibao else "否",
        "是" if h.dibao_edge else "否", h.size or 0,
    ]


@transaction.atomic
def household_export(*, user, **filters) -> bytes:
    """An .xlsx of the filtered list (at most MAX_ROWS rows); writes one audit row naming the filters."""
    require(user, EXPORT, "您没有导出数据的权限")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("困难职工家庭")
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    append_row(sheet, HEADERS)
    count = 0
    for household in household_queryset(user=user, action=EXPORT, **filters)[:MAX_ROWS].iterator(chunk_size=2000):
        append_row(sheet, _row(household))
        count += 1
    audit_log(actor=user, action="household.export", object_type="household", area_path=user.organisation.path,
              after={"filters": filters_for_audit(filters), "rows": count,
                     "at": clock.local_now().isoformat()})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
