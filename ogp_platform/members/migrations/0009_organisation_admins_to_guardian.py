"""An organisation's administrators move from `OrganisationMembership.role == "admin"` to the
django-guardian permission `members.administer_organisation` on the organisation.

Every approved administrator is granted the permission, and the audit log gets the record the
grant would have had (who approved them, when): 0010 then drops the role column, and with it the
history's copy of it. Run again (after going back), it grants and records nothing twice.
Backwards, every holder of the permission becomes an approved administrator member again.
"""

from django.db import migrations

CODENAME = "administer_organisation"
PERMISSION = f"members.{CODENAME}"


def _permission(apps):
    # Permissions are normally created after all migrations ran; this one is needed now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ctype, _ = ContentType.objects.get_or_create(app_label="members", model="organisation")
    permission, _ = Permission.objects.get_or_create(
        content_type=ctype, codename=CODENAME, defaults={"name": "Administer the organisation"}
    )
    return ctype, permission


def admins_to_guardian(apps, schema_editor):
    Membership = apps.get_model("members", "OrganisationMembership")
    Grant = apps.get_model("members", "OrganisationUserObjectPermission")
    Change = apps.get_model("audit", "ObjectRoleChange")
    admins = list(
        Membership.objects.filter(role="admin", status="approved").select_related("organisation")
    )
    if not admins:
        return
    ctype, permission = _permission(apps)
    Grant.objects.bulk_create(
        [
            Grant(user_id=m.user_id, permission=permission, content_object_id=m.organisation_id)
            for m in admins
        ],
        ignore_conflicts=True,
    )
    recorded = set(
        Change.objects.filter(permission=PERMISSION, content_type=ctype).values_list(
            "user_id", "object_pk"
        )
    )
    Change.objects.bulk_create(
        Change(
            user_id=m.user_id,
            permission=PERMISSION,
            content_type=ctype,
            object_pk=str(m.organisation_id),
            object_repr=m.organisation.name[:250],
            granted=True,
            changed_by_id=m.decided_by_id,
            changed_at=m.decided_at or m.requested_at,
        )
        for m in admins
        if (m.user_id, str(m.organisation_id)) not in recorded
    )


def guardian_to_admins(apps, schema_editor):
    Membership = apps.get_model("members", "OrganisationMembership")
    Grant = apps.get_model("members", "OrganisationUserObjectPermission")
    for user_id, organisation_id in Grant.objects.filter(
        permission__codename=CODENAME
    ).values_list("user_id", "content_object_id"):
        Membership.objects.update_or_create(
            organisation_id=organisation_id,
            user_id=user_id,
            defaults={"role": "admin", "status": "approved"},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_organisation_administer_permission"),
        ("audit", "0002_object_role_change"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(admins_to_guardian, guardian_to_admins)]
