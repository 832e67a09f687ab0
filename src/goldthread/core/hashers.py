"""Password hashing: Argon2id at OWASP's recommended cost (19 MiB of memory, 2 passes, 1 lane).

Django's own parameters hold 100 MiB for every password check while it runs, so a wave of log-ins on an app process
with eight threads took its memory from about 220 MiB to nearly 1 GB. Hashes made with other parameters still verify,
and are rewritten with these at the user's next log-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
