"""Every comment now has its space and member (see 0006): required from here on. In a
migration of its own, so that on PostgreSQL the columns change once the rows written in 0006's
transaction are committed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0007_organisation_unique_names_and_renames"),
        ("participation", "0006_comment_space_and_open_feedback"),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="members.member",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="space_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AlterField(
            model_name="comment",
            name="space_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcomment",
            name="space_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["space_type", "space_id"], name="participati_space_t_ce1d18_idx"
            ),
        ),
    ]
