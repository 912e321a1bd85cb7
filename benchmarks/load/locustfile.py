"""A Monday morning (issue 19): staff log in through the form, then read with 3-8 s think time; anonymous users
call the public assessment API beside them. Loopback only: run it through benchmarks/load/run.py."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PASSWORD = "bangfu-demo-2019"  # the demo accounts' (bangfu/registry/demo.py)
STAFF = ["caseworker", "caseworker_wx", "reviewer", "admin", "admin_nj", "auditor"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The spec's own example (spec/assessment.md), as the API tests use it.
EXAMPLE = Path(os.environ.get("BANGFU_ASSESSMENT_EXAMPLE",
                              Path(__file__).resolve().parents[3] / "shared/spec/examples/extreme-family.json"))
ASSESSMENT = json.loads(EXAMPLE.read_text())


class Staff(HttpUser):
    weight = 10
    wait_time = between(3, 8)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/ [GET]")
        token = TOKEN.search(page.text)
        self.client.post("/accounts/login/", name="/accounts/login/ [POST]",
                         data={"username": random.choice(STAFF), "password": PASSWORD,
                               "csrfmiddlewaretoken": token.group(1) if token else ""},
                         headers={"Referer": f"{self.host}/accounts/login/"})
        self.households = []

    @task(6)
    def start_page(self) -> None:
        self.client.get("/", name="/ (start page)")

    @task(5)
    def household_list(self) -> None:
        response = self.client.get("/api/v1/households", params={"per_page": 20}, name="/api/v1/households")
        if response.ok:
            self.households = [h["id"] for h in response.json()["items"]] or self.households
        self.client.get("/households/", params={"page": random.randint(1, 5)}, name="/households/")

    @task(5)
    def household_file(self) -> None:
        if self.households:
            self.client.get(f"/households/{random.choice(self.households)}/", name="/households/[id]/")

    @task(1)
    def targets(self) -> None:
        self.client.get("/targets/", name="/targets/")

    @task(1)
    def ledger(self) -> None:
        self.client.get("/ledger/", name="/ledger/")

    @task(1)
    def alerts(self) -> None:
        self.client.get("/alerts/", name="/alerts/")


class Public(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task
    def assess(self) -> None:
        self.client.post("/api/v1/assessments", json=ASSESSMENT, name="/api/v1/assessments")
