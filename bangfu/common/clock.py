"""The one clock of the service: "now" and "today" in Asia/Shanghai. Tests freeze it with time-machine."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")


def now() -> datetime.datetime:
    """The present moment, time-zone aware (stored in UTC by the database)."""
    return datetime.datetime.now(datetime.UTC)


def local_now() -> datetime.datetime:
    """The present moment on Jiangsu's wall clock (printed on reports and exports)."""
    return now().astimezone(ZONE)


def today() -> datetime.date:
    """Today's date in Jiangsu, whatever the server's own time zone."""
    return now().astimezone(ZONE).date()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Jiangsu date of a stored moment."""
    return moment.astimezone(ZONE).date()
