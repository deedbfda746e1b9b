"""Benchmark data (see `ogp_platform.seeding`): 20,000 people at scale 1, with verified
addresses so that they can sign in, all with the same password. Leaves them in
`run.shared["users"]`, the first being who created the plans and consultations."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from ogp_platform import seeding

EMAIL_DOMAIN = "bench.ogp.invalid"
PASSWORD = "bench-pass"  # noqa: S105 - a benchmark account on a throw-away database


def seed(run: seeding.BenchRun) -> None:
    user_model = get_user_model()
    if user_model.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists():
        raise ValueError("Benchmark data is already here: seed a fresh database.")
    password = make_password(PASSWORD)
    rows = (
        user_model(
            email=f"user{i}@{EMAIL_DOMAIN}",
            display_name=f"Participant {i}",
            password=password,
            date_joined=run.now,
        )
        for i in range(run.scaled(20_000))
    )
    users = []
    for batch in run.batched(rows):
        users.extend(user_model.objects.bulk_create(batch))
    # Mandatory email verification: the accounts can sign in.
    addresses = (
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    for batch in run.batched(addresses):
        EmailAddress.objects.bulk_create(batch)
    run.shared["users"] = users
    run.counts["users"] = len(users)
    run.named["user"] = users[min(1, len(users) - 1)].email
    run.named["password"] = PASSWORD
    run.log(f"users: {len(users)}")


seeding.bench.register("accounts", seed)
