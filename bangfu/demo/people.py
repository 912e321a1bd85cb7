"""Synthetic people for the demo: families whose names fit their sex and whose ID numbers fit both."""

from __future__ import annotations

import datetime
import random
from types import SimpleNamespace

from faker import Faker
from stdnum.cn import ric, uscc

from bangfu.accounts.models import Organisation
from bangfu.common.bulk import blank_factory
from bangfu.common.ids import make_id_number
from bangfu.policy.regions import all_regions, get_region
from bangfu.registry import choices as c
from bangfu.registry.models import Household, Member

POOL = 2000
_member = blank_factory(Member)
Record = SimpleNamespace  # a plain record of a Member's fields, inserted by bulk.fast_insert



def _school_for(age: int, rng: random.Random) -> tuple[str, int] | None:
    if 3 <= age <= 5:
        return c.SchoolStage.PRESCHOOL, age - 2
    if 6 <= age <= 11:
        return c.SchoolStage.PRIMARY, age - 5
    if 12 <= age <= 14:
        return c.SchoolStage.JUNIOR, age - 11
    if 15 <= age <= 17:
        stage = c.SchoolStage.SECONDARY_VOCATIONAL if rng.random() < 0.25 else c.SchoolStage.SENIOR_HIGH
        return stage, age - 14
    if 18 <= age <= 21 and rng.random() < 0.6:
        return c.SchoolStage.HIGHER, age - 17
    return None


class PersonFactory:
    def __init__(self, fake: Faker, rng: random.Random, used: set[str]) -> None:
        self.fake, self.rng, self.used = fake, rng, used
        # Pools drawn from Faker once: calling Faker per person is most of the time for 100,000 households.
        self.pools = {
            "last": [fake.last_name() for _ in range(POOL)],
            "male": [fake.first_name_male() for _ in range(POOL)],
            "female": [fake.first_name_female() for _ in range(POOL)],
            "street": [fake.street_name() for _ in range(POOL)],
            "mobile": sorted({fake.phone_number()[:3] for _ in range(POOL)}),
            "word": [fake.word() for _ in range(POOL)],
        }
        self._birth_regions: dict[tuple[str, int], list[str]] = {}
        self._regions_in: dict[int, list] = {}
        self._places_checked: set[tuple[str, str]] = set()

    def address(self, union: Organisation) -> str:
        county = get_region(union.division_code)
        city = get_region(county.city_code)
        r = self.rng
        return (f"{city.name}{county.name}{r.choice(self.pools['street'])}{r.randint(1, 399)}号"
                f"{r.randint(1, 30)}栋{r.randint(1, 6)}0{r.randint(1, 4)}室")

    def phone(self) -> str:
        return f"{self.rng.choice(self.pools['mobile'])}{self.rng.randrange(10**8):08d}"

    def birth_region(self, region: str, year: int) -> str:
        """The code where a person born that year was registered: the county's own if it existed then, else
        a code of the same city in use that year (a district created later has no older numbers)."""
        key = (region, year)
        if key not in self._birth_regions:
            if year not in self._regions_in:
                self._regions_in[year] = [r for r in all_regions() if any(p.covers(year) for p in r.periods)]
            then = self._regions_in[year]
            own = get_region(region)
            # Else born elsewhere in Jiangsu (泰州 and 宿迁 only exist since 1996).
            self._birth_regions[key] = [region] if own in then else (
                [r.code for r in then if r.city_code == own.city_code] or [r.code for r in then])
        return self.rng.choice(self._birth_regions[key])

    def id_number(self, region: str, birth: datetime.date, sex: str) -> str:
        region = self.birth_region(region, birth.year)
        while True:
            number = make_id_number(region, birth, self.rng.randrange(500), sex)
            if number not in self.used:
                self.used.add(number)
                return number

    def person(self, *, relation: str, age: int, sex: str, region: str, today: datetime.date) -> Record:
        birth = today - datetime.timedelta(days=age * 365 + self.rng.randrange(365))
        member = _member(name=self.rng.choice(self.pools["last"]) + self.rng.choice(self.pools[sex]), sex=sex, birth_date=birth, relation=relation,
                        id_number=self.id_number(region, birth, sex))
        if sex == "female" and 16 <= age < 60:
            member.retirement_group = self.rng.choice([c.RetirementGroup.FEMALE_50, c.RetirementGroup.FEMALE_55])
        return member

    def family(self, household: Household, today: datetime.date) -> list[Record]:
        r, region = self.rng, household.region_code
        worker_sex = r.choice(["male", "female"])
        worker_age = r.randint(28, 57)
        worker = self.person(relation="self", age=worker_age, sex=worker_sex, region=region, today=today)
        self._adult(worker, household, lead=True)
        family = [worker]
        if "single_parent" not in household.hardship_causes and r.random() < 0.75:
            spouse_sex = "female" if worker_sex == "male" else "male"
            spouse = self.person(relation="spouse", age=max(22, worker_age + r.randint(-4, 4)), sex=spouse_sex,
                                 region=region, today=today)
            self._adult(spouse, household, lead=False)
            family.append(spouse)
        for _ in range(r.choice([0, 1, 1, 1, 2])):
            child_age = r.randint(max(0, worker_age - 40), max(0, worker_age - 22))
            child = self.person(relation="child", age=child_age, sex=r.choice(["male", "female"]),
                                region=region, today=today)
            self._child(child, child_age, household)
            family.append(child)
        if r.random() < 0.15:
            parent = self.person(relation="parent", age=min(90, worker_age + r.randint(24, 32)),
                                 sex=r.choice(["male", "female"]), region=region, today=today)
            parent.employment, parent.retirement_group = c.Employment.RETIRED, ""
            family.append(parent)
        for member in family:
            member.phone = self.phone() if member.relation in ("self", "spouse") else ""
            member.resident_medical_insurance = member.employment != c.Employment.EMPLOYED and r.random() < 0.7
        return family

    def _adult(self, member: Record, household: Household, *, lead: bool) -> None:
        r, causes = self.rng, household.hardship_causes
        member.employment = r.choices(
            [c.Employment.EMPLOYED, c.Employment.REGISTERED_UNEMPLOYED, c.Employment.UNEMPLOYED, c.Employment.NONE],
            [40, 35, 15, 10] if "unemployment" not in causes or not lead else [0, 80, 20, 0])[0]
        member.work_ability = r.choices([c.WorkAbility.FULL, c.WorkAbility.PARTIAL, c.WorkAbility.NONE], [70, 20, 10])[0]
        if lead and "illness" in causes:
            member.serious_illness, member.health = True, c.Health.SERIOUS
        if lead and "disability" in causes:
            member.disability_grade, member.health = r.randint(1, 4), c.Health.DISABLED
            member.work_ability = c.WorkAbility.PARTIAL if member.disability_grade > 2 else c.WorkAbility.NONE
        if lead and member.employment == c.Employment.REGISTERED_UNEMPLOYED and r.random() < 0.1:
            self._business(member, household)

    def _business(self, member: Record, household: Household) -> None:
        r = self.rng
        body = f"92{household.region_code}{r.randrange(10**9):09d}"
        member.business_kind, member.business_name = c.BusinessKind.INDIVIDUAL, f"{member.name[0]}记{r.choice(self.pools['word'])}店"
        member.business_credit_code = body + uscc.calc_check_digit(body)
        member.business_registered_on = datetime.date(r.randint(2015, 2024), r.randint(1, 12), r.randint(1, 28))
        member.business_employees, member.business_first_time = r.randint(0, 3), True
        member.business_premises = r.choice([c.Premises.RENTED, c.Premises.INCUBATOR, c.Premises.NONE])

    def _child(self, member: Record, age: int, household: Household) -> None:
        school = _school_for(age, self.rng)
        if school is None:
            member.employment = c.Employment.EMPLOYED if age >= 18 else c.Employment.NONE
            return
        member.school_stage, member.school_year = school
        member.employment = c.Employment.STUDENT
        member.school_institution = c.Institution.PUBLIC if self.rng.random() < 0.85 else c.Institution.PRIVATE_NONPROFIT
        member.school_excellent = self.rng.random() < 0.2
        member.school_name = f"{get_region(household.region_code).name}第{self.rng.randint(1, 20)}" + (
            {"preschool": "幼儿园", "primary": "小学", "junior": "中学", "senior_high": "高级中学",
             "secondary_vocational": "中等专业学校", "higher": "大学"}[member.school_stage])

    def check(self, members: list[Record]) -> None:
        """Validate every number with stdnum: the full check (with the slow birth-place lookup) once per
        region and birth year, the checksum and birth date for the rest."""
        for member in members:
            number = member.id_number
            place = (number[:6], number[6:10])
            if place not in self._places_checked:
                ric.validate(number)
                self._places_checked.add(place)
            elif ric.calc_check_digit(number) != number[-1] or ric.get_birth_date(number) != member.birth_date:
                raise ValueError(f"generated an invalid ID number {number}")
