"""Benchmark: does signing up with a taken address answer in the same time as with a new one?

    .venv/bin/python benchmarks/signup_timing.py [--runs 15]

With enumeration prevention, both answers are the same page; if one came back much faster, the
time alone would tell who has an account. The script signs up `runs` new addresses and `runs`
times with a taken one, interleaved, through the real sign-up view with the production password
hasher (Django's PBKDF2), in a throw-away SQLite database, and prints the median and spread of
each. It fails (exit 1) when the medians differ by more than 20 %.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    workdir = tempfile.mkdtemp(prefix="ogp-bench-signup-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_platform.settings")
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Rate limits would turn most of the runs into 429 pages; the hasher is production's.
    settings.ACCOUNT_RATE_LIMITS = False
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def sign_up(email: str) -> float:
    from django.test import Client

    password = "a-long-and-unusual-passphrase"  # noqa: S105 (a throw-away database)
    started = time.perf_counter()
    response = Client().post(
        "/accounts/signup/",
        {"email": email, "display_name": "Bench", "password1": password, "password2": password},
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"sign-up answered {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup()
    from django.contrib.auth.hashers import get_hasher

    sign_up("taken@example.org")
    new, taken = [], []
    for i in range(args.runs):
        new.append(sign_up(f"new{i}@example.org"))
        taken.append(sign_up("taken@example.org"))
    hasher = get_hasher()
    print(f"hasher: {hasher.algorithm}, {getattr(hasher, 'iterations', '?')} iterations")
    for name, times in (("new address", new), ("taken address", taken)):
        print(
            f"{name:14} median {statistics.median(times) * 1000:6.0f} ms   "
            f"min {min(times) * 1000:6.0f}   max {max(times) * 1000:6.0f}   ({args.runs} runs)"
        )
    ratio = statistics.median(taken) / statistics.median(new)
    print(f"taken / new: {ratio:.2f}")
    return 0 if 0.8 <= ratio <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
