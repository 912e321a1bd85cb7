"""Resident ID numbers (居民身份证号码): validation with stdnum, facts derived from them, masking, generation."""

from __future__ import annotations

import datetime
import functools
import re

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

from .errors import ValidationFailed


@functools.lru_cache(maxsize=4096)
def _area_in_use_by(area: str, year: int) -> bool:
    """Whether the six-digit area code was in use in `year` or later, by python-stdnum's division data.

    A number carries the code of the place that issued it, which may be newer than its holder (a 1982-born
    worker of 玄武区 holds 320102…, a code stdnum dates from 1983); stdnum's own check wants the code in use in the
    birth year and refuses such real numbers. A code abolished before the birth cannot be right, though."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(area) for k, v in props.items()}
    if not info.get("county"):
        return False
    for county in info["county"].split(","):
        if not county.startswith("["):
            return True
        end = county[1:].split("]")[0].split("-")[1]
        if not end or int(end) >= year:
            return True
    return False


def normalise_id_number(value: str, *, field: str = "id_number") -> str:
    """The compact, validated number (a trailing x becomes X), or ValidationFailed in Chinese: length, digits,
    check digit, birth date, and an area code in use at or after the birth (see `_area_in_use_by`)."""
    number = ric.compact(value or "").upper()
    try:
        return ric.validate(number)
    except InvalidComponent as exc:
        try:  # the birth date, or stdnum's birth-place rule: only the latter may be forgiven
            born = ric.get_birth_date(number)
        except StdnumError:
            raise ValidationFailed(f"身份证号码无效:{value}", field=field) from exc
        if _area_in_use_by(number[:6], born.year):
            return number
        raise ValidationFailed(f"身份证号码无效:{value}", field=field) from exc
    except StdnumError as exc:
        raise ValidationFailed(f"身份证号码无效:{value}", field=field) from exc


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """`male` or `female`: the 17th digit is odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def mask_id_number(number: str) -> str:
    """3201**********1234: the first four and last four digits, the rest hidden."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")


def mask_id_numbers_in(text: str) -> str:
    """The text with every ID number in it masked (for audit rows of searches, say)."""
    return _ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), text)


def make_id_number(region: str, birth: datetime.date, sequence: int, sex: str) -> str:
    """A valid 18-digit number for that region, birth date and sex; `sequence` picks among the 500 per sex."""
    order = (sequence % 500) * 2 + 1 if sex == "male" else (sequence % 499 + 1) * 2
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")
