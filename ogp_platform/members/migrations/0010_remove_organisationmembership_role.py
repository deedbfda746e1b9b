"""The role field of memberships goes: who administers an organisation is now a guardian
permission on it (0009 moved the administrators there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_organisation_admins_to_guardian"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalorganisationmembership",
            name="role",
        ),
        migrations.RemoveField(
            model_name="organisationmembership",
            name="role",
        ),
    ]
