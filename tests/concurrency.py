"""Real concurrency for the PostgreSQL tests: threads with their own database connections, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(work: Callable[[int], object], threads: int, *, allowed: tuple[type[Exception], ...] = ()) -> list:
    """`work(i)` for i < `threads`, each in its own thread (with, and closing, its own connection), all released
    together behind a barrier: their results in the order they finished. An exception of an `allowed` type (the
    loser of a race may be refused) leaves no result; any other fails the test."""
    barrier, errors, results = threading.Barrier(threads), [], []

    def target(i):
        from django.db import connection as own

        try:
            barrier.wait()
            results.append(work(i))
        except allowed:
            pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.close()

    started = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    assert not errors, errors
    return results
