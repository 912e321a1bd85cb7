"""The form's member validation (`clean_member`), remembered across rows that differ only in who the person is.

A file of 300,000 members repeats a few hundred combinations of relation, employment, health, school…; the
registry's validation of those is the same for every row with the same combination and the same sex. What
differs per person (name, ID number and what follows from it, phone, employer, school and firm names) is checked
for each row with the registry's own functions, exactly as `clean_member` does it.
"""

from __future__ import annotations

import datetime
import re

from stdnum.cn import ric

from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import birth_date_of, normalise_id_number, sex_of
from bangfu.registry.validation import clean_member, clean_phone

DIGITS = re.compile(r"[0-9]{17}[0-9X]")
PERSONAL = ("name", "id_number", "phone", "employer", "school_name", "business_name")


class MemberCleaner:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self._known: dict[tuple, dict] = {}
        self._prefixes: dict[str, datetime.date] = {}

    def __call__(self, data: dict) -> dict:
        if set(data) & {"sex", "birth_date"}:
            return clean_member(data, today=self.today)
        number, birth = self._identity(str(data.get("id_number", "")))
        sex = sex_of(number)
        key = (sex, tuple(sorted((k, repr(v)) for k, v in data.items() if k not in PERSONAL)))
        known = self._known.get(key)
        if known is None:
            out = clean_member(data, today=self.today)
            self._known[key] = out
            return dict(out)
        return self._personal(data, number, birth, sex, known)

    def _identity(self, value: str) -> tuple[str, datetime.date]:
        """The registry's ID number check; once a region and birth date (the first 14 digits) have passed it,
        the numbers sharing them need only the form and the check digit, the rest being the same lookups."""
        compact = ric.compact(value or "").upper()
        birth = self._prefixes.get(compact[:14])
        if birth is not None and DIGITS.fullmatch(compact) and ric.calc_check_digit(compact) == compact[17]:
            return compact, birth
        number = normalise_id_number(value)
        birth = self._prefixes[number[:14]] = birth_date_of(number)
        return number, birth

    def _personal(self, data: dict, number: str, birth: datetime.date, sex: str, known: dict) -> dict:
        out = dict(known)
        out["name"] = str(data.get("name") or "").strip()
        if not out["name"]:
            raise ValidationFailed("姓名不能为空", field="name")
        out.update(id_number=number, birth_date=birth, sex=sex)
        if out["birth_date"] > self.today:
            raise ValidationFailed("出生日期晚于今天", field="id_number")
        out["phone"] = clean_phone(data.get("phone"))
        out["employer"] = str(data.get("employer") or "")
        out["school_name"] = str(data.get("school_name") or "") if out["school_stage"] else ""
        out["business_name"] = str(data.get("business_name") or "") if out["business_kind"] else ""
        return out
