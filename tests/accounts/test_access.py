"""Roles × actions, and the area rule, on the restricted querysets every read starts from."""

from __future__ import annotations

import pytest

from bangfu.accounts.access import ACTIONS, ROLE_ACTIONS, check_area, is_department_officer, may
from bangfu.accounts.models import Role
from bangfu.common.errors import AccessDenied, NotFound
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db

# The intended grants, written out independently of ROLE_ACTIONS so a change to either is noticed.
EXPECTED = {
    "caseworker": {"view", "add", "change", "delete", "view_id_number", "export"},
    "reviewer": {"view", "change", "view_id_number", "export", "verify", "approve"},
    "admin": set(ACTIONS) - {"approve", "send_department_data"},
    "auditor": {"view", "view_audit"},
    "department_officer": {"send_department_data"},
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_role_action_matrix(make_user, role, action):
    org = {"caseworker": "g1", "reviewer": "xuanwu"}.get(role, "nanjing")
    assert may(make_user(role, org), action) is (action in EXPECTED[role])
    assert set(ROLE_ACTIONS) == set(Role.values)


def test_inactive_users_and_users_without_organisation_may_nothing(make_user, django_user_model):
    user = make_user("admin", "province")
    user.is_active = False
    assert not any(may(user, a) for a in ACTIONS)
    superuser = django_user_model.objects.create_superuser("root", password="x-very-long-pw")
    assert not may(superuser, "view")


@pytest.mark.parametrize(("role", "org", "path", "outcome"), [
    ("caseworker", "g1", "320000/320100/320102/320102-0001/", None),
    ("caseworker", "g1", "320000/320100/320102/320102-0002/", NotFound),  # another grassroots union
    ("auditor", "nanjing", "320000/320100/320102/320102-0001/", AccessDenied),  # sees it, may not change it
    ("department_officer", "nanjing", "320000/320100/320102/320102-0001/", NotFound),  # sees no households
])
def test_check_area_hides_what_is_outside_and_refuses_what_the_role_forbids(make_user, role, org, path, outcome):
    user = make_user(role, org, department="civil_affairs" if role == "department_officer" else "")
    if outcome is None:
        check_area(user, path, "change", "未找到该家庭档案")
        return
    with pytest.raises(outcome) as caught:
        check_area(user, path, "change", "未找到该家庭档案")
    assert outcome is AccessDenied or caught.value.message == "未找到该家庭档案"


def test_the_department_officer_test(make_user):
    officer = make_user("department_officer", "nanjing", department="civil_affairs")
    assert is_department_officer(officer) and not is_department_officer(make_user("admin", "nanjing"))
    officer.is_active = False
    assert not is_department_officer(officer)


def test_no_role_is_compared_outside_the_role_action_table():
    """Every permission question goes through ROLE_ACTIONS: no `.role == Role.X` elsewhere in the service."""
    import re
    from pathlib import Path

    import bangfu

    root = Path(bangfu.__file__).parent
    compared = re.compile(r"\.role\s*[!=]=|==\s*Role\.|!=\s*Role\.|role\s+in\s+\(?Role")
    found = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if "migrations" not in p.parts and p.name != "access.py" and compared.search(p.read_text())]
    assert found == []


def test_unknown_actions_are_a_programming_error(make_user):
    with pytest.raises(ValueError):
        may(make_user("admin", "province"), "fly")


# role, organisation → households (by union) visible for "view"
AREAS = [
    ("caseworker", "g1", {"g1"}),
    ("caseworker", "g4", {"g4"}),
    ("reviewer", "xuanwu", {"g1", "g2"}),
    ("reviewer", "xishan", {"g4"}),
    ("admin", "nanjing", {"g1", "g2", "g3"}),
    ("admin", "wuxi", {"g4"}),
    ("admin", "province", {"g1", "g2", "g3", "g4"}),
    ("auditor", "province", {"g1", "g2", "g3", "g4"}),
    ("auditor", "qinhuai", {"g3"}),
    ("department_officer", "province", set()),
]


@pytest.mark.parametrize("role, org, visible", AREAS)
@pytest.mark.parametrize("action", ["view", "change", "view_id_number", "export", "delete"])
def test_role_area_action_matrix_on_querysets(make_household, make_user, orgs, role, org, visible, action):
    households = {union: make_household(union) for union in ("g1", "g2", "g3", "g4")}
    user = make_user(role, org)
    expected = {households[u].pk for u in visible} if action in EXPECTED[role] else set()
    assert set(Household.objects.restrict(user, action).values_list("pk", flat=True)) == expected
    members = set(Member.objects.restrict(user, action).values_list("household_id", flat=True))
    assert members == expected


def test_the_subtree_is_one_query(orgs, make_user, django_assert_num_queries):
    user = make_user("admin", "nanjing")
    user.organisation  # noqa: B018
    with django_assert_num_queries(1):
        list(Household.objects.restrict(user, "view"))


@pytest.mark.django_db
def test_a_reviewer_may_not_add_members_as_the_role_table_says(users, make_household, build, client):
    """ROLE_ACTIONS gives the reviewer no ADD: the service, the API and the page all refuse adding a member."""
    from bangfu.common.errors import AccessDenied
    from bangfu.registry.services import member_add

    household = make_household()
    reviewer = users["reviewer_xuanwu"]
    with pytest.raises(AccessDenied):
        member_add(actor=reviewer, household=household, data=build.member("child", region="320100"))
    client.force_login(reviewer)
    api = client.post(f"/api/v1/households/{household.pk}/members", build.member("child", region="320100"),
                      content_type="application/json")
    assert api.status_code == 403
    assert client.get(f"/households/{household.pk}/members/new/").status_code == 403
    assert "添加成员" not in client.get(f"/households/{household.pk}/").content.decode()
    client.force_login(users["caseworker_g1"])
    assert client.post(f"/api/v1/households/{household.pk}/members", build.member("child", region="320100"),
                       content_type="application/json").status_code == 201
