"""The login backend: Django's own, except that the signed-in user is read with their organisation in one query
(every page asks where the user stands: `restrict`, the navigation; issue 19), a statement compiled once per process
(the ORM's compilation of that join was half the CPU of reading the user, on every request of every page)."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models.query import get_related_populators


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id):
    """The user of that id with their organisation, read from the database on every call (nothing of a user is kept:
    a change of role, area or activity applies to their next request); None when there is none."""
    model = get_user_model()
    alias = router.db_for_read(model)
    sql, compiler, init_list, populators = _statement(alias)
    pk = model._meta.pk.get_db_prep_value(model._meta.pk.to_python(user_id), connections[alias])
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        rows = cursor.fetchall()
    for row in compiler.results_iter([rows]):
        user = model.from_db(alias, init_list, row[:len(init_list)])
        for populator in populators:
            populator.populate(row, user)
        return user
    return None


@functools.cache
def _statement(alias: str):
    """The SQL of `select_related("organisation").filter(pk=…).first()` compiled for the database, with what turns
    its row into the user and their organisation as Django's ModelIterable does (columns, converters, populators)."""
    model = get_user_model()
    query = model._default_manager.db_manager(alias).select_related("organisation").filter(pk=0).order_by("pk")[:1]
    compiler = query.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if list(params) != [0]:  # the id must be the statement's only parameter
        raise RuntimeError(f"unexpected parameters of the signed-in user's query: {params!r}")
    fields = compiler.klass_info["select_fields"]
    if fields[0] != 0:
        raise RuntimeError("the signed-in user's columns must come first")
    init_list = [column[0].target.attname for column in compiler.select[:fields[-1] + 1]]
    return sql, compiler, init_list, get_related_populators(compiler.klass_info, compiler.select, alias)
