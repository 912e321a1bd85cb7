"""Password hashing sized for the province's server.

Django's default Argon2 profile (100 MiB, t=2, p=8) costs about 185 ms of CPU per check on the two-core server; 200
staff logging in on a Monday morning then hold both cores for the whole ramp (the load benchmark, benchmarks/load). This profile is the first
of the OWASP Password Storage Cheat Sheet's Argon2id settings (m=19 MiB, t=2, p=1), which keeps a check under 50 ms
here while staying a memory-hard hash. Hashes made with other parameters are rewritten at the next successful login:
Django's ``check_password`` asks the preferred hasher's ``must_update``, which compares the stored parameters with
these.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with m=19 MiB, t=2, p=1; same algorithm name, so older argon2 hashes verify and are upgraded."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
