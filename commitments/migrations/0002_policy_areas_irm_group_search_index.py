"""Seed OGP's policy areas, create the IRM assessors' group, and index commitments for
PostgreSQL full-text search (other databases search with a fallback; see selectors)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from commitments.taxonomy import POLICY_AREAS

IRM_GROUP = "IRM assessors"
SEARCH_INDEX = "commitments_commitment_search"


def seed(apps, schema_editor):
    PolicyArea = apps.get_model("commitments", "PolicyArea")
    for position, (slug, name) in enumerate(POLICY_AREAS):
        PolicyArea.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})

    app_config = apps.get_app_config("commitments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=IRM_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="assess_commitment", content_type__app_label="commitments")
    )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=IRM_GROUP).delete()


def create_search_index(apps, schema_editor):
    # The expression is exactly what SearchVector("search_document", config="simple") compiles
    # to, so the planner uses the index for the explorer's search.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {SEARCH_INDEX} ON commitments_commitment USING gin "
            "(to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
