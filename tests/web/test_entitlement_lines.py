"""The household page says a benefit once for the members it reads the same for (issue 9)."""

from bangfu.web.entitlements import _who


def test_whom_a_line_is_for() -> None:
    names = {"m1": "张大", "m2": "李二", "m3": "张小明"}
    assert _who([], names) == "全户"
    assert _who(["m1", "m2", "m3"], names) == "全家3人"
    assert _who(["m1", "m3"], names) == "张大、张小明"
    assert _who(["m3"], names) == "张小明"
