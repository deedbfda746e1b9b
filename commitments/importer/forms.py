"""The upload form of the import page. The file is judged by its content: UTF-8 text whose
header has the dataset's required columns; its name does not matter."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .reader import ImportFailed, check_header

MAX_IMPORT_SIZE = 50 * 1024 * 1024


class CommitmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("The IRM's commitments dataset (CSV, at most 50 MB)"),
        help_text=_(
            "Save the spreadsheet as “CSV UTF-8”. Its first row names the columns; the import "
            "matches rows on their commitment and plan ids, so loading the same file again "
            "updates rather than duplicates."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Choose the CSV file to import.")},
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: show what the import would do, without saving anything"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_SIZE:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_IMPORT_SIZE),
                },
            )
        upload.seek(0)
        data = b"".join(upload.chunks())
        try:
            missing = check_header(data)
        except ImportFailed as error:
            raise ValidationError(str(error), code="not_csv") from error
        if missing:
            shown = ", ".join(f"“{name}”" for name in missing[:3])
            raise ValidationError(
                ngettext(
                    "This is not the IRM's commitments dataset: its first row has no column "
                    "%(columns)s.",
                    "This is not the IRM's commitments dataset: its first row lacks %(count)s "
                    "of the required columns, e.g. %(columns)s.",
                    len(missing),
                )
                % {"columns": shown, "count": len(missing)},
                code="missing_columns",
            )
        self.file_bytes = data
        return upload
