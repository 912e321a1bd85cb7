"""A Monday morning (issue 19): staff log in through the form during the ramp, then read with 3-8 s think time;
anonymous users call the public assessment API beside them. Loopback only: run it through benchmarks/load/run.py.

The users are locust's FastHttpUser (geventhttpclient): the load generator shares the 2 cores with the server, and
the requests-based HttpUser spent several times the CPU per request that this client does, CPU taken from the
server being measured.

Every response time is kept with the phase it fell in (the ramp: until the last user has started; then settled) and
written, with the moment the ramp ended, to BANGFU_LOAD_OUT as JSON for run.py's per-endpoint percentiles.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "bangfu-demo-2019"  # the demo accounts' (bangfu/demo/loader.py)
STAFF = ["caseworker", "caseworker_wx", "reviewer", "admin", "admin_nj", "auditor"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The spec's own example (spec/assessment.md), as the API tests use it.
EXAMPLE = Path(os.environ.get("BANGFU_ASSESSMENT_EXAMPLE",
                              Path(__file__).resolve().parents[3] / "shared/spec/examples/extreme-family.json"))
ASSESSMENT = json.loads(EXAMPLE.read_text())
OUT = os.environ.get("BANGFU_LOAD_OUT", "")

# name -> phase -> response times (ms); failures likewise counted.
TIMES: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
FAILURES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
PHASE = {"name": "ramp", "started": time.time(), "ramp_end": None}


@events.spawning_complete.add_listener
def _ramp_over(user_count: int, **_) -> None:
    if PHASE["ramp_end"] is None:
        PHASE.update(name="settled", ramp_end=time.time())


@events.request.add_listener
def _record(name: str, response_time: float, exception, **_) -> None:
    TIMES[name][PHASE["name"]].append(response_time)
    if exception is not None:
        FAILURES[name][PHASE["name"]] += 1


@events.quitting.add_listener
def _write(**_) -> None:
    if OUT:
        Path(OUT).write_text(json.dumps({"started": PHASE["started"], "ramp_end": PHASE["ramp_end"],
                                         "stopped": time.time(), "times": TIMES, "failures": FAILURES}))


class Staff(FastHttpUser):
    weight = 10
    wait_time = between(3, 8)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/ [GET]")
        token = TOKEN.search(page.text)
        with self.client.post("/accounts/login/", name="/accounts/login/ [POST]", catch_response=True,
                              data={"username": random.choice(STAFF), "password": PASSWORD,
                                    "csrfmiddlewaretoken": token.group(1) if token else ""},
                              headers={"Referer": f"{self.host}/accounts/login/"}) as response:
            if 'name="password"' in response.text:  # the form again: not logged in, every later page a redirect
                response.failure("login refused")
        self.households = []
        self.cursor = None

    @task(6)
    def start_page(self) -> None:
        self.client.get("/", name="/ (start page)")

    @task(5)
    def household_list(self) -> None:
        response = self.client.get("/api/v1/households", params={"per_page": 20}, name="/api/v1/households")
        if response.ok:
            self.households = [h["id"] for h in response.json()["items"]] or self.households
        self.client.get("/households/", params={"page": random.randint(1, 5)}, name="/households/")

    @task(2)
    def deep_household_page(self) -> None:
        """Paging on from where this user was (keyset cursor), back to the start at the end."""
        params = {"per_page": 20, **({"after": self.cursor} if self.cursor else {})}
        response = self.client.get("/api/v1/households", params=params, name="/api/v1/households?after=")
        self.cursor = response.json().get("next_after") if response.ok else None

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

    @task(1)
    def reports(self) -> None:
        self.client.get("/reports/", name="/reports/")


class Public(FastHttpUser):
    """The anonymous assessment users: exactly BANGFU_LOAD_ANONYMOUS of them, whatever the staff count."""

    fixed_count = int(os.environ.get("BANGFU_LOAD_ANONYMOUS", "20"))
    wait_time = between(1, 3)

    @task
    def assess(self) -> None:
        self.client.post("/api/v1/assessments", json=ASSESSMENT, name="/api/v1/assessments")
