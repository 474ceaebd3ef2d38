"""The `flask jobmatch` commands: issuing tokens once, the dev token file, index status."""

import stat

from jobmatch.auth.tokens import TokenStore
from tests.conftest import RUN_PREFIX


def test_create_token_prints_a_working_token(app, es, indices):
    result = app.test_cli_runner().invoke(args=["jobmatch", "create-token", "--role", "counsellor"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]
    principal = TokenStore(es, RUN_PREFIX).authenticate(token)
    assert principal is not None and principal.role == "counsellor"


def test_employer_token_needs_an_employer(app, indices):
    result = app.test_cli_runner().invoke(args=["jobmatch", "create-token", "--role", "employer"])
    assert result.exit_code != 0
    assert "employer_id" in result.output


def test_token_file_is_created_once_and_private(app, es, indices, tmp_path):
    path = tmp_path / "admin-token"
    runner = app.test_cli_runner()
    first = runner.invoke(args=["jobmatch", "ensure-token-file", str(path)])
    content = path.read_text()
    second = runner.invoke(args=["jobmatch", "ensure-token-file", str(path)])
    assert first.exit_code == second.exit_code == 0
    assert "new admin token" in first.output and "still valid" in second.output
    assert path.read_text() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert TokenStore(es, RUN_PREFIX).authenticate(content.strip()).role == "admin"


def test_indices_status_lists_every_alias(app, indices):
    result = app.test_cli_runner().invoke(args=["jobmatch", "indices", "status"])
    assert result.exit_code == 0, result.output
    for name in ("tokens", "employers", "jobs", "workers"):
        assert f"{RUN_PREFIX}{name}" in result.output
    assert "missing" not in result.output


def test_destructive_commands_need_yes(app, indices):
    result = app.test_cli_runner().invoke(args=["jobmatch", "indices", "prune"])
    assert result.exit_code != 0 and "--yes" in result.output
