"""Schemathesis against the whole API (issue 13): generated requests, valid and not, to every operation as a
province administrator with a token. The bar: no 5xx, every status declared, every response fits its schema.

Bounded in time: a few examples per operation (BANGFU_SCHEMATHESIS_EXAMPLES, default 6) and a fixed seed."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("BANGFU_SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def schema(settings):
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # NUL characters are refused at the edge (tests/api/test_bad_input.py): without them the cases reach the views.
    config = schemathesis.config.SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})
    # As Django's test client does: the test's transaction is the connection, which requests must not close.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run(operation, headers: dict, outcomes: Counter, failures: list) -> None:
    @seed(13)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def probe(case):
        response = case.call(headers=headers)
        outcomes[response.status_code] += 1
        if os.environ.get("H13DEBUG") and response.status_code == 400:
            print(operation.label, response.text[:150])
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # noqa: BLE001 - every kind of check failure is collected, not stopped at
            failures.append(f"{operation.label} {response.status_code}: {str(exc)[:400]}")

    probe()


def test_the_whole_api_answers_no_5xx_and_keeps_to_its_schema(schema, users, make_household):
    from bangfu.accounts.services import token_create

    make_household()
    _, key = token_create(actor=users["admin_province"], name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    outcomes, failures = Counter(), []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        _run(operation, headers, outcomes, failures)
    summary = f"{len(operations)} operations, {sum(outcomes.values())} cases, by status class {dict(outcomes)}"
    print(summary)
    assert outcomes and not failures, summary + "\n" + "\n".join(failures[:40])
