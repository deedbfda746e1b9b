"""The checks of tests/security/inert.py find what they are meant to find, so that the hostile
input tests can fail."""

import pytest
from django.core.mail import EmailMessage

from tests.security.inert import formula_cells, header_problems, html_problems

DANGEROUS = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" java&#09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<iframe src="data:text/html,x"></iframe>',
    '<form action="javascript:alert(1)"></form>',
    '<p style="background:url(x)">x</p>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
]

HARMLESS = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    '<a href="https://example.org/javascript:alert(1)">javascript:alert(1)</a>',
    '<script src="/static/js/enhance.js" defer></script>',
    '<input value="&lt;svg onload=alert(1)&gt;">',
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width">',
]


@pytest.mark.parametrize("html", DANGEROUS)
def test_dangerous_markup_is_found(html):
    assert html_problems(f"<p>Before</p>{html}<p>after</p>")


@pytest.mark.parametrize("html", HARMLESS)
def test_escaped_text_is_not_a_problem(html):
    assert html_problems(html) == []


def test_formula_cells():
    rows = [["'=1", "plain", "-2"], ["@SUM(1)", "a=b", "\t=1"]]
    assert formula_cells(rows) == ["-2", "@SUM(1)", "\t=1"]


def test_header_problems():
    assert header_problems(EmailMessage(subject="One line", to=["a@example.org"])) == []
    found = header_problems(EmailMessage(subject="x\r\nBcc: evil@x", to=["a@example.org"]))
    assert found
