"""The platform-wide roles are groups holding a model permission each."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {"OGP admins": "onboard_member", "Moderators": "moderate_content"}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("members")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codename in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="members")
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
