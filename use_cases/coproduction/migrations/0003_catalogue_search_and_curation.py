"""The catalogue's search table, curation stamps, and the curators' permission for OGP admins.

- `EnablerSearchDocument`: one row per enabler and language of the platform, written by the
  catalogue's services. On PostgreSQL its `vector` column gets a GIN index here (other databases
  search the document word by word and get nothing).
- `Enabler.curated_at` and `withdrawn_at`: when OGP staff last changed or withdrew an enabler.
- The group "OGP admins" is given `coproduction.curate_catalogue`.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

INDEX = "coproduction_enablersearchdocument_vector"
GROUP = "OGP admins"
PERMISSION = "curate_catalogue"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON coproduction_enablersearchdocument "
        "USING gin (vector)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def give_ogp_admins_curation(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs this one now.
    app_config = apps.get_app_config("coproduction")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(codename=PERMISSION, content_type__app_label="coproduction")
    )


def take_curation_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(codename=PERMISSION, content_type__app_label="coproduction")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0002_tree_history_records"),
        ("members", "0002_platform_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="enabler",
            name="curated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="enabler",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="EnablerSearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=8)),
                ("document", models.TextField(blank=True)),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                (
                    "enabler",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_documents",
                        to="coproduction.enabler",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("enabler", "language"), name="coproduction_one_search_document"
                    )
                ],
            },
        ),
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
        migrations.RunPython(give_ogp_admins_curation, take_curation_back, elidable=False),
    ]
