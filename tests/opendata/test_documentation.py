"""The open-data page and docs/open-data.md document every column of every file, and the
licence; the footer links to the page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from commitments.opendata import files
from ogp_platform.opendata import LICENCE_NAME, LICENCE_URL

pytestmark = pytest.mark.django_db

URL = reverse("commitments:open_data")
DOC = Path(settings.BASE_DIR) / "docs" / "open-data.md"


def test_the_page_is_public_and_lists_every_column_of_every_file(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert LICENCE_URL in html and "CC BY 4.0" in html
    for file in files():
        assert f'id="{file.slug}"' in html
        for column in file.columns:
            assert f"<code>{column.name}</code>" in html, column.name


def test_every_page_links_to_the_open_data_page_in_its_footer(client):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{URL}"' in footer


def markdown_table(file) -> str:
    lines = ["| column | what it holds |", "|---|---|"]
    lines += [f"| `{column.name}` | {column.description} |" for column in file.columns]
    return "\n".join(lines)


def test_the_repository_document_has_the_columns_of_the_code():
    """docs/open-data.md holds each file's table exactly as the column definitions say (paste
    the expected table from this failure when a column changes)."""
    text = DOC.read_text(encoding="utf-8")
    assert LICENCE_NAME in text and LICENCE_URL in text
    with translation.override("en"):
        for file in files():
            table = markdown_table(file)
            assert table in text, f"docs/open-data.md lacks, for {file.slug}:\n{table}"
