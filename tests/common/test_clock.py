"""The service's one clock: Jiangsu's date whatever the server's zone, frozen by time-machine."""

from __future__ import annotations

import datetime

from bangfu.common import clock


def test_today_is_the_date_in_jiangsu_not_in_utc(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False)
    assert clock.today() == datetime.date(2027, 1, 1)
    assert clock.now() == datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert clock.local_now().hour == 0 and clock.local_date(clock.now()) == datetime.date(2027, 1, 1)


def test_the_suite_runs_on_a_frozen_day(today):
    assert today == clock.today() == datetime.date(2026, 11, 16)
