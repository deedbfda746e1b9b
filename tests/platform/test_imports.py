"""The import contracts of pyproject.toml ([tool.importlinter]): each app imports only the apps
below it (the core none of them), and the pilot modules under use_cases/ build on
use_cases.coproduction but never on each other. `./ogp lint` checks them too; running them here
makes `./ogp test` catch a broken one."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PYPROJECT = Path(settings.BASE_DIR) / "pyproject.toml"
ROOT_PACKAGES = ("ogp_platform", "participation", "action_plans", "commitments", "use_cases")


def lint_imports(directory: Path) -> subprocess.CompletedProcess:
    """The project's contracts, checked on the packages found in `directory`."""
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", "--config", str(PYPROJECT)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_project_keeps_its_import_contracts():
    """No module of the core imports an app above it, no app imports one above it, and the
    pilot modules import only the shared co-production module."""
    result = lint_imports(Path(settings.BASE_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.fixture
def project(tmp_path):
    """A tree of empty packages named like the project's, with the modules a test writes into
    it (`write("ogp_platform/thing.py", "import commitments")`)."""
    for package in ROOT_PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "use_cases" / "apps.py").write_text("")

    def write(path: str, source: str = "") -> None:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        for parent in target.relative_to(tmp_path).parents:
            if str(parent) != "." and not (tmp_path / parent / "__init__.py").exists():
                (tmp_path / parent / "__init__.py").write_text("")
        target.write_text(textwrap.dedent(source))

    write.root = tmp_path
    return write


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("ogp_platform/page_scopes.py", "commitments.models"),
        ("ogp_platform/accounts/data_export.py", "participation.models"),
        ("participation/views.py", "action_plans.models"),
        ("action_plans/pdf.py", "commitments.models"),
        ("commitments/views.py", "use_cases.joint_planning"),
    ],
)
def test_a_module_may_not_import_an_app_above_it(project, importer, imported):
    project(importer, f"import {imported}\n")
    project(imported.replace(".", "/") + ".py")
    result = lint_imports(project.root)
    assert result.returncode == 1
    lower, higher = importer.split("/")[0], imported.split(".")[0]
    assert f"{lower} is not allowed to import {higher}" in result.stdout


def test_even_an_import_for_type_checking_only_counts(project):
    """action_plans may not name commitments, not even for type hints."""
    project(
        "action_plans/contents.py",
        """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from commitments.models import Commitment
        """,
    )
    project("commitments/models.py")
    result = lint_imports(project.root)
    assert result.returncode == 1
    assert "action_plans is not allowed to import commitments" in result.stdout


def test_an_app_may_import_the_apps_below_it(project):
    project("use_cases/joint_planning/models.py", "import commitments.models\n")
    project("commitments/models.py", "import action_plans.models\nimport ogp_platform.pagecache\n")
    project("action_plans/models.py", "import participation.interface\n")
    project("participation/interface.py", "import ogp_platform.members\n")
    project("ogp_platform/pagecache.py")
    project("ogp_platform/members/__init__.py")
    result = lint_imports(project.root)
    assert result.returncode == 0, result.stdout


def test_pilots_build_on_coproduction(project):
    project("use_cases/coproduction/models.py")
    for pilot in ("joint_planning", "shared_services", "open_innovation"):
        project(f"use_cases/{pilot}/models.py", "from use_cases.coproduction import models\n")
    result = lint_imports(project.root)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("joint_planning", "shared_services"),
        ("open_innovation", "joint_planning"),
        ("coproduction", "open_innovation"),
    ],
)
def test_pilots_never_import_each_other_nor_does_coproduction_import_them(
    project, importer, imported
):
    project("use_cases/coproduction/__init__.py")
    project(f"use_cases/{imported}/models.py")
    project(f"use_cases/{importer}/views.py", f"from use_cases.{imported} import models\n")
    result = lint_imports(project.root)
    assert result.returncode == 1
    assert f"use_cases.{importer} is not allowed to import use_cases.{imported}" in result.stdout


def test_a_new_package_under_use_cases_must_be_declared_in_the_contract(project):
    """So that a fourth pilot is independent of the others from its first line."""
    project("use_cases/smart_parking/models.py")
    result = lint_imports(project.root)
    assert result.returncode == 1
    assert "use_cases.smart_parking" in result.stdout
    assert "not listed as layers" in result.stdout
