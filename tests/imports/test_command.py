"""manage.py import_ogp_commitments: the summary it prints, its dry run, its acting user, and
its refusal (exit code not 0) of a file it cannot import."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.importer.runs import SYSTEM_EMAIL
from commitments.models import Commitment
from ogp_platform.accounts.models import User
from tests.factories import UserFactory
from tests.imports.dataset import dataset_bytes, latvia, madrid

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(tmp_path):
    def write(rows, **kwargs):
        path = tmp_path / "irm-commitments.csv"
        path.write_bytes(dataset_bytes(rows, **kwargs))
        return str(path)

    return write


def command(*args):
    out = io.StringIO()
    call_command("import_ogp_commitments", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_and_prints_the_summary(dataset):
    output = command(dataset([latvia(), madrid(**{"Start Date": "Permanent activity"})]))
    assert "Commitments: 2 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "Members: 3 created" in output
    assert "Action plans: 2 created" in output
    assert "row 3 MAD0005: Start Date “Permanent activity” is not a date" in output
    assert "2 rows read" in output
    assert Commitment.objects.count() == 2


def test_without_user_the_import_acts_as_the_inactive_system_account(dataset):
    command(dataset([latvia()]))
    system = User.objects.get(email=SYSTEM_EMAIL)
    assert not system.is_active and not system.has_usable_password()
    assert system.display_name == "IRM import"
    assert Commitment.objects.get().history.get().history_user == system
    command(dataset([latvia()]))
    assert User.objects.filter(email=SYSTEM_EMAIL).count() == 1


def test_the_user_option_names_the_acting_user(dataset):
    admin = UserFactory(email="olga@example.org")
    command(dataset([latvia()]), "--user", "OLGA@example.org")
    assert Commitment.objects.get().history.get().history_user == admin
    assert not User.objects.filter(email=SYSTEM_EMAIL).exists()


def test_an_unknown_user_is_refused(dataset):
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        command(dataset([latvia()]), "--user", "nobody@example.org")
    assert not Commitment.objects.exists()


def test_the_dry_run_saves_nothing(dataset):
    output = command(dataset([latvia()]), "--dry-run")
    assert "Dry run: nothing was saved." in output
    assert "Commitments: 1 created" in output
    assert not Commitment.objects.exists()


def test_a_missing_column_fails_naming_it_with_an_exit_code(dataset, capsys):
    path = dataset([latvia()], drop=["Commitment Unique Identifier"])
    with pytest.raises(CommandError, match="Commitment Unique Identifier"):
        command(path)
    assert not Commitment.objects.exists()
    # Run as a program, the command exits with 1.
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "import_ogp_commitments", path])
    assert exit_info.value.code == 1
    assert "Commitment Unique Identifier" in capsys.readouterr().err


def test_a_file_that_does_not_exist_is_refused():
    with pytest.raises(CommandError, match="No such file"):
        command("/nonexistent/irm.csv")
