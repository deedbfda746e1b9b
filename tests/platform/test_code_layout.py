"""Where things live: forms in forms modules, URL patterns in `urls.py`, and the one check that
refuses a service call the policies do not allow in the core (`ogp_platform.services`)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied

from ogp_platform.services import require

PROJECT_PACKAGES = ("ogp_platform", "action_plans", "commitments", "participation", "use_cases")
ENTRY_POINTS = {"wsgi", "asgi", "settings", "settings_test"}
# Forms kept out of a forms module, and why.
KEPT_APART = {
    # allauth builds its sign-up form on ACCOUNT_SIGNUP_FORM_CLASS, which is in accounts/forms.py:
    # that module cannot import allauth's forms (ogp_platform/accounts/signup.py says more).
    "ogp_platform.accounts.signup.SignupForm",
}


def _project_sources():
    for package in PROJECT_PACKAGES:
        for path in sorted((Path(settings.BASE_DIR) / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _project_modules():
    """Every module of the project but its migrations and its process entry points, imported."""
    for package in PROJECT_PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            last = info.name.rpartition(".")[2]
            if ".migrations" not in info.name and last not in ENTRY_POINTS:
                yield importlib.import_module(info.name)


def _project_forms():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    list(_project_modules())
    return {
        form for form in subclasses(forms.BaseForm) if form.__module__.startswith(PROJECT_PACKAGES)
    }


def test_services_refuse_through_the_cores_one_check():
    """A service refuses what its policy does not allow with `ogp_platform.services.require`;
    no module keeps a copy of its own."""
    copies = [
        f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
        for path in _project_sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "_require"
    ]
    assert not copies, copies
    assert require(True) is None
    with pytest.raises(PermissionDenied):
        require(False)


def test_view_modules_hold_neither_forms_nor_url_patterns():
    """A view module holds views; its forms are in the app's forms module and its routes in the
    app's `urls.py`."""
    found = []
    for module in _project_modules():
        if "views" not in module.__name__.split("."):
            continue
        if hasattr(module, "urlpatterns"):
            found.append(f"{module.__name__}.urlpatterns")
        found += [
            f"{module.__name__}.{name}"
            for name, value in vars(module).items()
            if isinstance(value, type)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == module.__name__
        ]
    assert not found, found


def test_every_form_lives_in_a_forms_module():
    """Forms are found where a Django developer looks for them: `forms.py` (or a module named
    `…_forms`, or a module of a `forms` package)."""

    def in_a_forms_module(module: str) -> bool:
        package, _dot, last = module.rpartition(".")
        return last.endswith("forms") or package.rpartition(".")[2] == "forms"

    elsewhere = {
        f"{form.__module__}.{form.__name__}"
        for form in _project_forms()
        if not in_a_forms_module(form.__module__)
    }
    assert elsewhere == KEPT_APART, {
        "elsewhere": sorted(elsewhere - KEPT_APART),
        "no longer kept apart": sorted(KEPT_APART - elsewhere),
    }
