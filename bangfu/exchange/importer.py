"""Checking a household file row by row with the form's own validation, before anything is written."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from bangfu.accounts.access import VIEW
from bangfu.accounts.models import Organisation
from bangfu.common.errors import DomainError
from bangfu.registry.models import Member

# The form's own access check on the target union.
from bangfu.registry.services.households import union_check
from bangfu.registry.services.members import NEUTRAL_DUPLICATE
from bangfu.registry.validation import clean_household

from .columns import HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, MEMBER_COLUMNS, MEMBER_SHEET, NUMBER, row_data
from .files import CSV_SHEET, Sheet
from .members import MemberCleaner

Errors = dict[tuple[str, int], list[str]]


@dataclass
class PlannedHousehold:
    number: str
    union: Organisation
    fields: dict
    members: list[dict] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, index) of its household and member rows
    member_rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, index) of its member rows


@dataclass
class Checked:
    households: list[PlannedHousehold]
    errors: Errors
    bad_numbers: set[str]

    @property
    def clean(self) -> list[PlannedHousehold]:
        return [h for h in self.households if h.number not in self.bad_numbers]


def split_csv(sheet: Sheet) -> tuple[Sheet, Sheet, Errors]:
    """The flat CSV as the two sheets: the household's columns come from its first row; later rows agree or are blank."""
    households, members = Sheet(CSV_SHEET, sheet.headers), Sheet(CSV_SHEET, sheet.headers)
    errors: Errors = {}
    first: dict[str, int] = {}
    house_headers = [c.header for c in HOUSEHOLD_COLUMNS if c.field != "number"]
    for index, row in enumerate(sheet.rows):
        members.rows.append(row)
        members.numbers.append(sheet.numbers[index])
        number = str(row.get(NUMBER) or "").strip()
        if number and number not in first:
            first[number] = index
            households.rows.append(row)
            households.numbers.append(sheet.numbers[index])
            households.positions.append(index)
            continue
        base = sheet.rows[first[number]] if number in first else {}
        clash = [h for h in house_headers if row.get(h) not in (None, "") and row.get(h) != base.get(h)]
        if clash:
            errors.setdefault((CSV_SHEET, index), []).append(f"同一户的家庭信息与第{sheet.numbers[first[number]]}行不一致:"
                                                            f"{'、'.join(clash)}")
    return households, members, errors


class HouseholdChecker:
    """Runs every row through the registry's validation; `progress(n)` is called as rows are checked, `n` counting
    the household rows, then the member rows after them."""

    def __init__(self, *, actor, default_union: Organisation, today: datetime.date,
                 progress: Callable[[int], None] = lambda n: None) -> None:
        self.actor, self.default_union, self.today, self.progress = actor, default_union, today, progress
        self.errors: Errors = {}
        self.clean_member = MemberCleaner(today)
        self._unions: dict[str, Organisation | str] = {}

    def _error(self, sheet: str, index: int, message: str) -> None:
        self.errors.setdefault((sheet, index), []).append(message)

    def _union(self, code: str) -> Organisation:
        if code not in self._unions:
            union = self.default_union if not code else Organisation.objects.filter(code=code).first()
            try:
                if union is None:
                    raise DomainError(f"所属工会代码不存在:{code}")
                union_check(self.actor, union)
                self._unions[code] = union
            except DomainError as exc:
                self._unions[code] = exc.message
        found = self._unions[code]
        if isinstance(found, str):
            raise DomainError(found)
        return found

    def check(self, households: Sheet, members: Sheet, initial: Errors | None = None) -> Checked:
        self.errors = dict(initial or {})
        planned = self._households(households)
        self._members(members, planned, done=len(households.rows))
        self._duplicates_elsewhere(planned, members.name)
        bad = set()
        for number, household in planned.items():
            workers = [m for m in household.members if m["relation"] == "self"]
            member_errors = any(ref in self.errors for ref in household.member_rows)
            if member_errors:
                pass  # the count of workers is judged once every member row is right
            elif not household.members:
                self._error(household.rows[0][0], household.rows[0][1], "该户没有成员")
            elif len(workers) != 1:
                self._error(household.rows[0][0], household.rows[0][1], "家庭成员中须有且只有一名职工本人")
            if any(ref in self.errors for ref in household.rows):
                bad.add(number)
        return Checked(list(planned.values()), self.errors, bad)

    def _households(self, sheet: Sheet) -> dict[str, PlannedHousehold]:
        planned: dict[str, PlannedHousehold] = {}
        columns = HOUSEHOLD_COLUMNS
        seen_rows: dict[tuple, int] = {}
        headers = {c.header for c in columns}
        for index, row in enumerate(sheet.rows):
            data, errors = row_data(columns, row)
            at = sheet.position(index)  # the row in the file (a flat CSV's household rows are some of its rows)
            for message in errors:
                self._error(sheet.name, at, message)
            number = str(data.pop("number", "") or "").strip()
            union_code = data.pop("union_code", "")
            signature = tuple(sorted((k, str(v)) for k, v in row.items() if k in headers))
            if sheet.name != CSV_SHEET and signature in seen_rows:
                self._error(sheet.name, at, f"与第{sheet.numbers[seen_rows[signature]]}行重复")
            seen_rows.setdefault(signature, index)
            if not number:
                continue
            if number in planned:
                self._error(sheet.name, at, f"户编号{number}重复")
                continue
            household = PlannedHousehold(number, self.default_union, {}, rows=[(sheet.name, at)])
            planned[number] = household
            try:
                household.union = self._union(union_code)
                household.fields = clean_household(data, union_division=household.union.division_code,
                                                   today=self.today, partial=False)
            except DomainError as exc:
                self._error(sheet.name, at, exc.message)
        self.progress(len(sheet.rows))
        return planned

    def _members(self, sheet: Sheet, planned: dict[str, PlannedHousehold], *, done: int = 0) -> None:
        """The member rows; `done` household rows were checked before them, so progress goes on from there."""
        # The CSV's member columns by header, not by field: its household 联系电话 is a `phone` too.
        columns = MEMBER_COLUMNS
        first_row_of: dict[str, int] = {}
        for index, row in enumerate(sheet.rows):
            if index and index % 5000 == 0:
                self.progress(done + index)
            data, errors = row_data(columns, row)
            for message in errors:
                self._error(sheet.name, index, message)
            number = str(data.pop("number", "") or "").strip()
            household = planned.get(number)
            if household is None:
                if number:
                    self._error(sheet.name, index, f"户编号{number}在「{HOUSEHOLD_SHEET}」表中不存在")
                continue
            if (sheet.name, index) not in household.rows:
                household.rows.append((sheet.name, index))
            household.member_rows.append((sheet.name, index))
            if errors:
                continue
            try:
                fields = self.clean_member(data)
            except DomainError as exc:
                self._error(sheet.name, index, exc.message)
                continue
            earlier = first_row_of.get(fields["id_number"])
            if earlier is not None:
                self._error(sheet.name, index, f"身份证号码与第{sheet.numbers[earlier]}行重复")
                continue
            first_row_of[fields["id_number"]] = index
            fields["_ref"] = (sheet.name, index)
            household.members.append(fields)
        self.progress(done + len(sheet.rows))

    def _duplicates_elsewhere(self, planned: dict[str, PlannedHousehold], sheet: str) -> None:
        """One active household per person: those already active elsewhere, with a link only for those who may see it."""
        by_id = {m["id_number"]: m for h in planned.values() for m in h.members}
        numbers = list(by_id)
        for start in range(0, len(numbers), 5000):
            chunk = numbers[start:start + 5000]
            active = dict(Member.objects.filter(id_number__in=chunk, active=True).values_list("id_number",
                                                                                                "household_id"))
            if not active:
                continue
            visible = set(Member.objects.restrict(self.actor, VIEW).filter(id_number__in=list(active), active=True)
                          .values_list("id_number", flat=True))
            for number, household_id in active.items():
                message = (f"该居民已在{household_id}号家庭档案中,不能重复登记" if number in visible
                           else NEUTRAL_DUPLICATE)
                self._error(*by_id[number]["_ref"], message)


MEMBER_SHEETS = (HOUSEHOLD_SHEET, MEMBER_SHEET)
