"""Stored summaries of the report figures, refreshed on change: a page reads the figures computed after the newest
change in its area (the audit trail's last change row: every change writes one) instead of aggregating the archive
again. The first view after a change asks the job queue to compute them anew (one job per key and stamp, whichever
server saw them stale) and, until they are ready, shows the figures stored before with their time (`Figures.fresh`
false); the very first view of a report computes them. Constant queries per view whatever the archive. The figures
are those of the union's area, computed as the area (`AreaScope`), never under the triggering user's restrictions;
each viewer's access to the area is checked before reading. The figures are stored as JSON (`reports.codec`): a row
is data, never code."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When

from bangfu.accounts.access import VIEW, AreaScope, check_area
from bangfu.audit.selectors import last_change
from bangfu.common import clock
from bangfu.common.context import request_memo
from bangfu.ledger.budgets import ancestor_paths
from bangfu.standards.selectors import shipped_fingerprint

from .codec import MissingUnion, dumps, loads
from .models import ReportSnapshot

log = logging.getLogger(__name__)

# The shape of the stored figures: raised whenever a compute function's result changes shape, so that rows stored by
# an earlier release are neither shown nor taken as current. 3: figures computed as the area (rows of 2 may hold the
# restrictions of the user who triggered them).
FORMAT = "3"
# A queued refresh not stored within this time (a worker crashed, the job was lost) may be queued again: longer than
# the slowest job, a province's entitlements.
QUEUE_TIMEOUT = timedelta(minutes=20)
# How long figures kept in the cache (`cached_figures`) live at most: their key changes with every change, so this
# only bounds what an audit row committed out of its id's order (two transactions at once) could leave unseen.
CACHE_SECONDS = 300
_MISSING = object()


def stamp(union, *, dated: bool = False) -> str:
    """What the figures of the union's report depend on: the format of the figures, the engine's shipped parameters
    (a release changing only their YAML moves every entitlement and 低保 line), the last change in its area (and
    above it: an administrator's standard is such a change, audited where it applies), and today for figures taken
    on today's date."""
    last = last_change(area_path=union.path, ancestors=ancestor_paths(union.path)[:-1])
    current = f"{FORMAT}/{shipped_fingerprint()}/{last}"
    return f"{current}:{clock.today().isoformat()}" if dated else current


@dataclass
class Figures:
    value: object  # None while the first computation of a report queued in the background is not ready
    computed_at: datetime | None
    fresh: bool


def _row(key: str) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(key=key).only("stamp", "data", "computed_at").first()


def _read(row: ReportSnapshot | None, current: str, known: dict | None = None) -> Figures | None:
    if row is None or row.stamp.partition("/")[0] != current.partition("/")[0]:  # absent, or of another format
        return None
    try:
        value = loads(row.data, known=known)
    except MissingUnion:  # a union of the figures is gone: compute them again
        return None
    return Figures(value, row.computed_at, row.stamp == current)


def _store(key: str, current: str, value, started: datetime) -> bool:
    """Store the figures computed from `started` at the `current` stamp, unless figures computed from a later time are
    there already (a slower job, or one queued for an earlier change, finishing after a newer one): one conditional
    UPDATE. The refresh claimed for `current` (`claim_refresh`) is over either way: released, so that a view finding
    the figures stale again may queue another. Whether they were stored."""
    data, rows = dumps(value), ReportSnapshot.objects.filter(key=key)
    ours = Q(queued_stamp=current)
    newer = Q(computed_at__gt=started) & ~Q(stamp="")  # a claim's placeholder holds no figures
    if rows.exclude(newer).update(stamp=current, data=data, computed_at=started,
                                  queued_stamp=Case(When(ours, then=Value("")), default=F("queued_stamp")),
                                  queued_at=Case(When(ours, then=Value(None)), default=F("queued_at"))):
        return True
    if release_claim(key, current) or rows.exists():  # later figures are there: ours are not stored
        return False
    try:
        with transaction.atomic():
            ReportSnapshot.objects.create(key=key, stamp=current, data=data, computed_at=started)
    except IntegrityError:  # another request stored it at the same moment: theirs is as good
        return False
    return True


def release_claim(key: str, current: str) -> bool:
    """The refresh of `key` claimed for `current` is over (done, superseded, or never queued): a view may claim it
    again."""
    return bool(ReportSnapshot.objects.filter(key=key, queued_stamp=current).update(queued_stamp="", queued_at=None))


def claim_refresh(key: str, current: str, *, exists: bool = True) -> bool:
    """Whether the caller is the one to queue the computation of `key` at `current`: true once per key and stamp
    across every server (one UPDATE … WHERE, atomic in the database), and again once the claim is `QUEUE_TIMEOUT`
    old. Without a stored row yet, a placeholder row (no figures: of no format) holds the claim."""
    now = clock.now()
    rows = ReportSnapshot.objects.filter(key=key)
    if exists and rows.exclude(queued_stamp=current, queued_at__gt=now - QUEUE_TIMEOUT).update(
            queued_stamp=current, queued_at=now):
        return True
    if exists:
        return False
    try:
        with transaction.atomic():
            ReportSnapshot.objects.create(key=key, stamp="", data="null", computed_at=now, queued_stamp=current,
                                          queued_at=now)
    except IntegrityError:  # another view claimed it first
        return False
    return True


def snapshot(key: str, current: str, compute: Callable[[], object], *, refresh: Callable[[], None] | None = None,
             wait_first: bool = True, known: dict | None = None) -> Figures:
    """The stored figures under `key` when computed at the `current` stamp. Otherwise: without `refresh`, computed
    now and stored; with it, `refresh` queues the computation (a job runs it: see `tasks.refresh_snapshot`) and the
    figures stored before are shown meanwhile, or, before any, computed now (`wait_first`) or shown as pending.
    The key names the union, not the user: `compute` gives the union's area's figures whoever triggers it (the
    callers compute as an `AreaScope`, after checking the viewer's access). One job is queued per key and stamp
    (`claim_refresh`); if it cannot be queued, the claim is released and the figures stored before are shown, or,
    before any, computed now. `known`: unions already in hand by primary key (the report's own), not read again with
    the figures."""
    row = _row(key)
    found = _read(row, current, known)
    if found is not None and found.fresh:
        return found
    if refresh is not None and (found is not None or not wait_first):
        if not claim_refresh(key, current, exists=row is not None):
            return found or Figures(None, None, False)
        try:
            refresh()
        except Exception:  # the queue is down (Redis, huey): no job will store them, so the claim is not kept
            log.exception("queueing the refresh of %s failed", key)
            release_claim(key, current)
            if found is not None:  # the page shows the figures stored before
                return found
        else:
            # a queue that runs at once (or a quick worker) has it ready
            return _read(_row(key), current, known) or found or Figures(None, None, False)
    started = clock.now()
    value = compute()
    _store(key, current, value, started)
    return Figures(value, started, True)


def cached_figures(key: str, union, compute: Callable[[], object], *, local: bool = False) -> object:
    """Figures of the union's area that are cheap enough to compute in a request but read on every view (the start
    page): kept in the shared cache (Redis in production: what one app server computed, every one reads) under the
    union's dated `stamp`, so a change in the area or above it, a release changing the shipped parameters and a new
    day each give a new key and the next view computes them anew; the stamp is read before they are computed. As
    with the stored figures, `compute` computes them as the area (`AreaScope`), the same for everyone who may see it,
    or else `key` names all of the viewer that they depend on (the household file's cards: role and area); the caller
    has checked that the viewer sees the union's area; they are plain data (the cache pickles them).

    `local`: kept in this process's memory instead, the area's newest only (a new stamp replaces it), for the same time
    at most (what costs more to unpickle than to read, such as a province's unions for a filter; issue 19); the
    callers must only read them, as every request of the process is given the same objects."""
    area = f"figures:{FORMAT}:{key}:{union.pk}:{union.path}"
    current = stamp(union, dated=True)
    if local:
        return _local(area, current, compute)
    full = f"{area}:{current}"
    found = cache.get(full, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(full, found, CACHE_SECONDS)
    return found


_LOCAL: dict[str, tuple[str, float, object]] = {}  # `cached_figures(local=True)`: area's key -> (stamp, until, figures)
LOCAL_ENTRIES = 256  # areas' figures at most, in each process: emptied when full


def _local(area: str, current: str, compute: Callable[[], object]) -> object:
    """One entry per area's key: a new stamp replaces the figures of the past one (never read again) instead of
    adding to them."""
    now = time.monotonic()
    found = _LOCAL.get(area)
    if found is not None and found[0] == current and found[1] > now:
        return found[2]
    value = compute()
    if area not in _LOCAL and len(_LOCAL) >= LOCAL_ENTRIES:
        _LOCAL.clear()
    _LOCAL[area] = (current, now + CACHE_SECONDS, value)
    return value


def clear_local() -> None:
    """Forget the figures kept in this process's memory (the tests: ids start again after a rollback on SQLite)."""
    _LOCAL.clear()


def report_figures(*, user, union, year: int, background: bool = True) -> Figures:
    """Every figure of the union's report for `year` (households, flows, help by source, programme and benefit, medical
    costs, year on year, Article 2's targets on today's date), from the stored summary; `user` must see the union."""
    from bangfu.cases.targets import article2_targets, below_dibao_ids

    from . import selectors as s
    from .medical import medical_report
    from .tasks import refresh_snapshot

    check_area(user, union.path, VIEW, "未找到该工会")
    user = AreaScope(union)  # the area's figures, the same for every viewer
    current = stamp(union, dated=True)

    def compute() -> dict:
        # the households below the 低保 line today: counted in the targets and stored for their list (`below_dibao`),
        # at the same stamp, by the same job
        started, today = clock.now(), clock.today()
        below = below_dibao_ids(user=user, path=union.path, as_of=today)
        _store(_below_key(union), current, below, started)
        return {"house": s.household_report(user=user, union=union), "flows": s.flow_report(user=user, union=union, year=year),
                "help": s.help_report(user=user, union=union, year=year),
                "programmes": s.programme_report(user=user, union=union, year=year),
                "benefits": s.benefit_help_report(user=user, union=union, year=year),
                "yoy": s.year_on_year(user=user, union=union, year=year),
                "medical": medical_report(user=user, union=union, year=year),
                "targets": article2_targets(user=user, union=union, year=year, as_of=today, below=below)}

    refresh = (lambda: refresh_snapshot("report", union.pk, str(year))) if background else None
    return snapshot(f"report:{union.pk}:{year}", current, compute, refresh=refresh, known={union.pk: union})


def entitlement_figures(*, user, union, as_of, background: bool = True) -> Figures:
    """The entitlements report of the union's archive on `as_of` (the engine over every household), stored; its
    first computation too is left to the job queue (about 10 s for a province of 10⁵ households), the page saying
    so meanwhile; `user` must see the union."""
    from .entitlements import entitlement_report
    from .tasks import refresh_snapshot

    check_area(user, union.path, VIEW, "未找到该工会")
    user = AreaScope(union)  # the area's figures, the same for every viewer
    refresh = (lambda: refresh_snapshot("entitlements", union.pk, as_of.isoformat())) if background else None
    return snapshot(f"entitlements:{union.pk}:{as_of.isoformat()}", stamp(union),
                    lambda: entitlement_report(user=user, union=union, as_of=as_of), refresh=refresh, wait_first=False,
                    known={union.pk: union})


def _below_key(union) -> str:
    return f"below:{union.pk}"


def below_dibao(*, union, background: bool = True) -> Figures:
    """The archived households of the union below the local 低保 line today (those of the targets' figure), stored
    like the figures, as the area: the household list pages through them without running the income rule over the
    archive in the request. The report's job stores them with its figures; a list finding them stale queues their
    own refresh (one per change, `snapshot`) and shows the stored ids meanwhile; only before any are they computed
    in the request. Whose list it is, is the list's business (`restrict(user)`)."""
    from bangfu.cases.targets import below_dibao_ids

    from .tasks import refresh_snapshot

    memo, key = request_memo(), _below_key(union)
    if background and memo is not None and f"reports.{key}" in memo:  # the list and its note read them once
        return memo[f"reports.{key}"]
    scope = AreaScope(union)
    refresh = (lambda: refresh_snapshot("below", union.pk, "")) if background else None
    found = snapshot(key, stamp(union, dated=True),
                     lambda: below_dibao_ids(user=scope, path=union.path, as_of=clock.today()), refresh=refresh,
                     known={union.pk: union})
    if background and memo is not None:
        memo[f"reports.{key}"] = found
    return found


def below_dibao_households(*, path: str) -> list[int]:
    """The ids of `below_dibao` for the union at `path`; an unknown path has none."""
    from bangfu.accounts.models import Organisation

    union = Organisation.objects.filter(path=path).first()
    return [] if union is None else below_dibao(union=union).value
