"""Security headers on every response, secure cookies in production, and templates that keep
the Content-Security-Policy possible (no inline script, style or event handler)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.platform.test_settings import PRODUCTION, _run

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize(
    "url", ["/", "/members/", "/commitments/", "/accounts/login/", "/no-such-page/"]
)
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_only_the_django_admin_allows_inline_styles(admin_client):
    response = admin_client.get("/admin/")
    policy = directives(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"


# Templates that browsers render (the PDF document is read only by WeasyPrint).
NOT_FOR_BROWSERS = ("action_plans/pdf/",)
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def browser_templates():
    for directory in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]:
        if ".venv" in directory.parts:
            continue
        for path in directory.rglob("*.html"):
            relative = path.relative_to(directory).as_posix()
            if not relative.startswith(NOT_FOR_BROWSERS):
                yield path


def test_templates_hold_no_inline_script_style_or_handler():
    found = []
    templates = list(browser_templates())
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_cookies_are_secure_and_http_only_in_production():
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT]))"
    )
    result = _run(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[true, true, true, true, 31536000, true]"
    configured = _run(code, **PRODUCTION, DJANGO_SECURE_HSTS_SECONDS="600")
    assert configured.stdout.strip().endswith("600, true]")


def test_the_policy_in_settings_is_what_is_sent(client):
    sent = client.get("/")["Content-Security-Policy"]
    for name, value in settings.CONTENT_SECURITY_POLICY:
        assert f"{name} {value}" in sent
