import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("code", ["en", "it", "lv", "es"])
def test_catalog_compiles(code, tmp_path):
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (the setup installs it)"
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        ("it", "Il ciclo del piano d'azione"),
        ("lv", "Rīcības plāna cikls"),
        ("es", "El ciclo del plan de acción"),
    ],
)
def test_language_switcher_changes_the_interface(client, code, heading):
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert f'<html lang="{code}">' in html
    assert heading in html
    assert 'aria-current="true"' in html


def test_switcher_keeps_the_page_and_refuses_foreign_redirects(client):
    response = client.post(reverse("set_language"), {"language": "it", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    response = client.post(
        reverse("set_language"), {"language": "it", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_in_choice_becomes_the_preferred_language(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_preferred_language_applies_on_a_new_device(client):
    client.force_login(UserFactory(preferred_language="lv"))
    assert '<html lang="lv">' in client.get("/").content.decode()


def test_browser_language_is_used_for_visitors(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es">' in html


def _msgids(po: Path) -> set[str]:
    out = subprocess.run(
        ["msgattrib", "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line[6:] for line in out.splitlines() if line.startswith("msgid ")} - {'""'}


@pytest.mark.parametrize("code", ["en", "it", "lv", "es"])
def test_catalog_is_complete(code):
    """No message is left untranslated or fuzzy (English holds the source text as its own)."""
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        assert "msgid" not in out.replace('msgid ""\nmsgstr ""', "", 1), f"{code} {flag}:\n{out}"


def test_catalogs_hold_every_message_of_the_code(tmp_path):
    """makemessages run on the code finds nothing the catalogs do not already hold."""
    root = Path(settings.BASE_DIR)
    for name in (
        "manage.py",
        "ogp_platform",
        "action_plans",
        "commitments",
        "participation",
        "use_cases",
        "templates",
    ):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "ogp_platform.settings"},
    )
    found = _msgids(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    held = _msgids(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert found - held == set(), "run makemessages and translate the new messages"
