"""The Django admin is no back door: unions get their path from the service, changes are audited, access fails
closed for a union without a path."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from bangfu.accounts.access import VIEW, in_area
from bangfu.accounts.models import Organisation, User
from bangfu.audit.models import AuditEntry
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-very-long-pw-123"))
    return client


def test_a_union_added_in_the_admin_gets_its_place_in_the_tree_and_an_audit_row(root, orgs, make_user,
                                                                              make_household):
    make_household("g1")
    response = root.post("/admin/accounts/organisation/add/", {"parent": orgs["xishan"].pk, "name": "锡山某街道工会",
                                                              "kind": "street"})
    assert response.status_code == 302, response.content.decode()[:500]
    union = Organisation.objects.get(name="锡山某街道工会")
    assert union.path.startswith(orgs["xishan"].path) and union.path != orgs["xishan"].path
    assert union.level == "grassroots" and union.division_code == orgs["xishan"].division_code
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(union.pk)).exists()
    worker = make_user("caseworker", "g4")
    worker.organisation = union
    worker.save()
    assert not Household.objects.restrict(worker, VIEW).exists()  # 锡山's new union sees nothing of 南京


def test_an_existing_unions_place_cannot_be_edited_in_the_admin_and_renaming_is_audited(root, orgs):
    union = orgs["g1"]
    page = root.get(f"/admin/accounts/organisation/{union.pk}/change/").content.decode()
    assert 'name="parent"' not in page and 'name="code"' not in page
    root.post(f"/admin/accounts/organisation/{union.pk}/change/", {"name": "玄武某企业工会(更名)"})
    union.refresh_from_db()
    assert union.name == "玄武某企业工会(更名)" and union.path == "320000/320100/320102/320102-0001/"
    entry = AuditEntry.objects.get(action="admin.organisation.change")
    assert entry.before == {"name": "玄武某企业工会"} and entry.after == {"name": "玄武某企业工会(更名)"}
    assert root.post(f"/admin/accounts/organisation/{union.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_user_changed_in_the_admin_is_audited_without_secrets(root, users, orgs):
    user = users["caseworker_g4"]
    page = root.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update(role="admin", organisation=orgs["province"].pk, date_joined_0="2024-01-01", date_joined_1="00:00:00")
    data.pop("password", None)
    data.pop("last_login", None)
    data["groups"], data["user_permissions"] = [], []
    response = root.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="admin.user.change", object_id=str(user.pk))
    assert entry.after["role"] == "admin" and entry.before["role"] == "caseworker"
    assert "password" not in entry.before and "pbkdf2" not in str(entry.after) and "argon2" not in str(entry.after)


def test_a_union_without_a_path_is_refused_by_the_database_and_sees_nothing(orgs, users, make_household):
    make_household("g1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(code="X1", name="无路径", level="county", division_code="320205", path="")
    user = User.objects.get(pk=users["caseworker_g1"].pk)
    user.organisation.path = ""  # as it would be had it got past the database
    assert not Household.objects.restrict(user, VIEW).exists()
    assert not in_area(user, orgs["g1"].path)
