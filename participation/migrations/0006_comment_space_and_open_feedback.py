"""Comments are filed under their space and its primary member, as inputs are, and no longer
need a consultation: where a space's feedback is always open, a comment is written outside any
consultation. Existing comments take the space and member of their consultation."""

import django.db.models.deletion
from django.db import migrations, models


def file_under_their_space(apps, schema_editor):
    Comment = apps.get_model("participation", "Comment")
    HistoricalComment = apps.get_model("participation", "HistoricalComment")
    Consultation = apps.get_model("participation", "Consultation")
    for consultation in Consultation.objects.only("pk", "space_type_id", "space_id", "member_id"):
        filed = {
            "space_type_id": consultation.space_type_id,
            "space_id": consultation.space_id,
            "member_id": consultation.member_id,
        }
        Comment.objects.filter(consultation_id=consultation.pk).update(**filed)
        HistoricalComment.objects.filter(consultation_id=consultation.pk).update(**filed)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0007_organisation_unique_names_and_renames"),
        ("participation", "0005_comment_official_member_single_line_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="member",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="members.member",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="space_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="space_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="historicalcomment",
            name="member",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="members.member",
            ),
        ),
        migrations.AddField(
            model_name="historicalcomment",
            name="space_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="historicalcomment",
            name="space_type",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="consultation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="participation.consultation",
            ),
        ),
        migrations.RunPython(file_under_their_space, migrations.RunPython.noop, elidable=False),
    ]
