"""Building the union hierarchy from the real division data (bangfu.policy.regions), not a hand-typed list."""

from __future__ import annotations

import datetime

from django.db import transaction

from bangfu.audit.services import audit_log
from bangfu.common.errors import ValidationFailed
from bangfu.policy.regions import PROVINCE, PROVINCE_NAME, cities_on, get_region, regions_on

from .models import GrassrootsKind, Organisation, OrgLevel

PROVINCE_UNION = "江苏省总工会"


def _upsert(*, code: str, name: str, level: str, division: str, parent: Organisation | None) -> Organisation:
    path = (parent.path if parent else "") + code + "/"
    org, _ = Organisation.objects.update_or_create(
        code=code,
        defaults={"name": name, "level": level, "division_code": division, "parent": parent, "path": path},
    )
    return org


def _county_union_name(city: Organisation, county: str) -> str:
    """Districts carry their city's name (南京市玄武区总工会); county-level cities and counties do not."""
    return f"{city.name.removesuffix('总工会')}{county}总工会" if county.endswith("区") else f"{county}总工会"


@transaction.atomic
def organisations_sync(*, actor=None, on: datetime.date) -> int:
    """The province union, a union per city and per county-level division in use on `on`. Idempotent."""
    province = _upsert(code=PROVINCE, name=PROVINCE_UNION, level=OrgLevel.PROVINCE, division=PROVINCE, parent=None)
    cities = {}
    for city in cities_on(on):
        cities[city.code] = _upsert(
            code=city.code, name=f"{city.name_on(on)}总工会", level=OrgLevel.CITY, division=city.code, parent=province
        )
    count = 1 + len(cities)
    for region in regions_on(on):
        if region.is_city:
            continue
        _upsert(
            code=region.code,
            name=_county_union_name(cities[region.city_code], region.name_on(on)),
            level=OrgLevel.COUNTY,
            division=region.code,
            parent=cities[region.city_code],
        )
        count += 1
    audit_log(actor=actor, action="organisation.sync", object_type="organisation", area_path=province.path,
              after={"count": count, "on": on.isoformat()})
    return count


@transaction.atomic
def grassroots_create(*, actor=None, county: Organisation, name: str, kind: str) -> Organisation:
    """A grassroots union (enterprise, street or community) under a county union, in its division."""
    if county.level != OrgLevel.COUNTY:
        raise ValidationFailed("基层工会必须隶属于县(市、区)总工会", field="county")
    if kind not in GrassrootsKind.values:
        raise ValidationFailed(f"基层工会类型无效:{kind}", field="kind")
    if not name.strip():
        raise ValidationFailed("名称不能为空", field="name")
    number = county.children.count() + 1
    while Organisation.objects.filter(code=f"{county.code}-{number:04d}").exists():
        number += 1
    org = Organisation.objects.create(
        code=f"{county.code}-{number:04d}", name=name.strip(), level=OrgLevel.GRASSROOTS, kind=kind,
        division_code=county.division_code, parent=county, path=f"{county.path}{county.code}-{number:04d}/",
    )
    audit_log(actor=actor, action="organisation.create", object_type="organisation", object_id=org.pk,
              area_path=org.path, after={"code": org.code, "name": org.name, "kind": kind})
    return org


def division_name(code: str) -> str:
    if code == PROVINCE:
        return PROVINCE_NAME
    region = get_region(code)
    return region.name if region else code
