"""User accounts and signing in, on the real node: unique usernames, field-named errors, one answer for unknown
users and wrong passwords, throttling per username and per address (time moved by an injected clock, never
slept through), hash upgrades, deactivation, and the `jobmatch users` commands."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher

from indexer.naming import alias_name
from jobmatch import demo
from jobmatch.accounts.service import AccountService, LoginLimits, LoginRefused, User
from jobmatch.errors import Conflict, ValidationFailed
from jobmatch.records.service import record_id
from tests.conftest import isolated_app
from tests.factories import unique

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # fast tests; production keeps the defaults
PASSWORD = "ca phê sữa đá 2026"
DEMO_EMPLOYER = record_id("emp", "DN00000", demo.SOURCE)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def accounts_app(es, embedder):
    with isolated_app(es, embedder, "accounts") as (app, prefix):
        employers = alias_name(prefix, "employers")
        es.index(index=employers, id="emp-open", document={"name": "Công ty TNHH Mở"}, refresh="wait_for")
        es.index(index=employers, id="emp-closed", document={"name": "Công ty Đóng", "closed_at": "2026-01-05"},
                 refresh="wait_for")
        es.index(index=employers, id=DEMO_EMPLOYER, document={"name": "Doanh nghiệp demo"}, refresh="wait_for")
        yield app, prefix


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def service(accounts_app, es, clock):
    return AccountService(es, accounts_app[1], TZ, clock=clock, hasher=CHEAP)


def new_user(service: AccountService, role: str = "counsellor", **kwargs) -> User:
    return service.create(f"user.{unique()}", PASSWORD, role, actor="test", **kwargs)


def refused(service: AccountService, username: str, password: str, ip: str) -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        service.authenticate(username, password, client_ip=ip)
    return caught.value


def test_a_user_is_created_and_read_back_without_the_hash(service, es, accounts_app):
    name = f"Lan.{unique()}"
    user = service.create(name, PASSWORD, "counsellor", display_name="  Nguyễn Thị Lan ", actor="admin-1")
    assert user == User(user.user_id, name.lower(), "counsellor", None, "Nguyễn Thị Lan", True)
    assert service.get(user.user_id) == user and service.find(name.upper()) == user
    assert service.get("usr-nobody") is None
    assert user in service.list_users()
    stored = es.get(index=alias_name(accounts_app[1], "users"), id=user.username)["_source"]
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in str(stored)
    assert stored["created_by"] == "admin-1"


def test_a_taken_username_is_a_conflict_whatever_its_case(service):
    user = new_user(service)
    with pytest.raises(Conflict) as caught:
        service.create(user.username.upper(), "một mật khẩu khác hẳn", "analyst", actor="test")
    assert caught.value.status == 409 and "username" in caught.value.errors["json"]


def test_an_employer_user_acts_for_an_open_employer(service):
    user = new_user(service, "employer", employer_id="emp-open")
    assert user.role == "employer" and user.employer_id == "emp-open"


@pytest.mark.parametrize(("username", "password", "role", "employer_id", "field"), [
    ("lan.ok", PASSWORD, "boss", None, "role"),
    ("lan.ok", PASSWORD, "employer", None, "employer_id"),
    ("lan.ok", PASSWORD, "employer", "emp-missing", "employer_id"),
    ("lan.ok", PASSWORD, "employer", "emp-closed", "employer_id"),
    ("lan.ok", PASSWORD, "analyst", "emp-open", "employer_id"),
    ("l", PASSWORD, "analyst", None, "username"),
    ("lan nguyen", PASSWORD, "analyst", None, "username"),
    ("lan.ok", "ngắn", "analyst", None, "password"),
    ("lan.ok", "matkhau123", "analyst", None, "password"),
    ("lan.ok", "lan.ok-2026-11", "analyst", None, "password"),
])
def test_bad_input_is_refused_naming_the_field(service, username, password, role, employer_id, field):
    with pytest.raises(ValidationFailed) as caught:
        service.create(username, password, role, employer_id=employer_id, actor="test")
    assert caught.value.status == 422 and field in caught.value.errors["json"], caught.value.errors
    assert service.find("lan.ok") is None


def test_sign_in_succeeds_and_unknown_users_and_wrong_passwords_get_one_answer(service):
    user = new_user(service)
    assert service.authenticate(user.username.upper(), PASSWORD, client_ip="10.0.0.1") == user
    wrong = refused(service, user.username, PASSWORD + "!", "10.0.0.1")
    unknown = refused(service, f"nobody.{unique()}", PASSWORD, "10.0.0.1")
    malformed = refused(service, "x y", PASSWORD, "10.0.0.1")
    assert {(e.reason, e.message, e.status, e.retry_after) for e in (wrong, unknown, malformed)} == {
        ("invalid", "wrong username or password", 401, 0)}


def test_five_failures_throttle_a_username_even_for_the_right_password_until_the_window_passes(service, clock):
    user = new_user(service)
    for n in range(5):
        assert refused(service, user.username, f"sai mật khẩu {n}", f"10.1.0.{n}").reason == "invalid"
        clock.advance(60)
    throttled = refused(service, user.username, PASSWORD, "10.1.1.1")  # another address does not help
    # The first failure was 5 minutes ago: the window of 15 minutes passes in 10.
    assert (throttled.reason, throttled.retry_after, throttled.status) == ("throttled", 600, 429)
    clock.advance(300)
    assert refused(service, user.username, PASSWORD, "10.1.1.1").retry_after == 300  # refusals do not extend it
    clock.advance(300)
    assert service.authenticate(user.username, PASSWORD, client_ip="10.1.1.1") == user


def test_a_successful_sign_in_resets_the_username_count(service):
    user = new_user(service)
    for _ in range(4):
        refused(service, user.username, "sai mật khẩu rồi", "10.2.0.1")
    service.authenticate(user.username, PASSWORD, client_ip="10.2.0.1")
    for _ in range(5):
        assert refused(service, user.username, "sai mật khẩu rồi", "10.2.0.1").reason == "invalid"
    assert refused(service, user.username, PASSWORD, "10.2.0.1").reason == "throttled"


def test_unknown_usernames_are_throttled_like_known_ones(service):
    name = f"ghost.{unique()}"
    reasons = [refused(service, name, PASSWORD, "10.3.0.1").reason for _ in range(6)]
    assert reasons == ["invalid"] * 5 + ["throttled"]


def test_twenty_failures_from_one_address_throttle_it_for_every_username(service, clock):
    user = new_user(service)
    for n in range(20):
        assert refused(service, f"guess.{n}.{unique()}", PASSWORD, "192.0.2.7").reason == "invalid"
    clock.advance(1)
    throttled = refused(service, user.username, PASSWORD, "192.0.2.7")
    assert throttled.reason == "throttled" and throttled.retry_after == 899
    # A refused attempt was not counted against the username: other addresses still sign in.
    assert service.authenticate(user.username, PASSWORD, client_ip="192.0.2.8") == user
    clock.advance(899)
    assert service.authenticate(user.username, PASSWORD, client_ip="192.0.2.7") == user


def test_ipv6_addresses_of_one_64_count_together(service):
    for n in range(20):
        refused(service, f"guess.{unique()}", PASSWORD, f"2001:db8:1:2::{n + 1:x}")
    assert refused(service, f"guess.{unique()}", PASSWORD, "2001:db8:1:2:ffff::1").reason == "throttled"
    assert refused(service, f"guess.{unique()}", PASSWORD, "2001:db8:1:3::1").reason == "invalid"


def test_limits_come_from_settings(accounts_app, es, clock):
    limits = LoginLimits.from_settings({"LOGIN_MAX_FAILURES_PER_USER": 2, "LOGIN_MAX_FAILURES_PER_IP": 50,
                                        "LOGIN_WINDOW_SECONDS": 60})
    strict = AccountService(es, accounts_app[1], TZ, limits=limits, clock=clock, hasher=CHEAP)
    user = new_user(strict)
    assert [refused(strict, user.username, "không đúng đâu", "10.4.0.1").reason for _ in range(3)] == [
        "invalid", "invalid", "throttled"]
    clock.advance(60)
    assert strict.authenticate(user.username, PASSWORD, client_ip="10.4.0.1") == user


def test_an_outdated_hash_is_upgraded_at_sign_in(service, accounts_app, es, clock):
    user = new_user(service)
    stronger = AccountService(es, accounts_app[1], TZ, clock=clock,
                              hasher=PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.authenticate(user.username, PASSWORD, client_ip="10.5.0.1") == user
    stored = es.get(index=alias_name(accounts_app[1], "users"), id=user.username)["_source"]["password_hash"]
    assert "m=2048,t=2,p=1" in stored
    assert not stronger.hasher.check_needs_rehash(stored)
    assert stronger.authenticate(user.username, PASSWORD, client_ip="10.5.0.1") == user


def test_a_deactivated_user_cannot_sign_in_until_reactivated(service):
    user = new_user(service)
    assert service.set_active(user.user_id, False, actor="admin-1").active is False
    assert service.set_active(user.user_id, False, actor="admin-1").active is False  # idempotent
    assert refused(service, user.username, PASSWORD, "10.6.0.1").reason == "invalid"
    service.set_active(user.user_id, True, actor="admin-1")
    assert service.authenticate(user.username, PASSWORD, client_ip="10.6.0.1").active


def test_a_new_password_replaces_the_old_and_lifts_the_throttling(service):
    user = new_user(service)
    for _ in range(5):
        refused(service, user.username, "quên mật khẩu rồi", "10.7.0.1")
    with pytest.raises(ValidationFailed) as caught:
        service.set_password(user.user_id, "password123", actor="admin-1")
    assert "password" in caught.value.errors["json"]
    service.set_password(user.user_id, "mật khẩu mới tinh 2027", actor="admin-1")
    assert refused(service, user.username, PASSWORD, "10.7.0.2").reason == "invalid"
    assert service.authenticate(user.username, "mật khẩu mới tinh 2027", client_ip="10.7.0.2") == user


def test_the_cli_creates_resets_lists_and_deactivates_users(accounts_app, es, service, tmp_path):
    app, _ = accounts_app
    runner = app.test_cli_runner()
    secret = tmp_path / "pw"
    secret.write_text("mật khẩu từ tệp 2026\n", encoding="utf-8")
    name = f"cli.{unique()}"
    result = runner.invoke(args=["jobmatch", "users", "create", name, "--role", "analyst",
                                 "--display-name", "Phân tích viên", "--password-file", str(secret)])
    assert result.exit_code == 0, result.output
    assert service.authenticate(name, "mật khẩu từ tệp 2026", client_ip="10.8.0.1").display_name == "Phân tích viên"

    prompted = f"cli.{unique()}"
    result = runner.invoke(args=["jobmatch", "users", "create", prompted, "--role", "employer",
                                 "--employer-id", "emp-open"], input="gõ hai lần nhé\ngõ hai lần nhé\n")
    assert result.exit_code == 0, result.output
    assert "gõ hai lần" not in result.output  # hidden input
    assert service.authenticate(prompted, "gõ hai lần nhé", client_ip="10.8.0.1").employer_id == "emp-open"

    bad = runner.invoke(args=["jobmatch", "users", "create", f"cli.{unique()}", "--role", "employer",
                              "--password-file", str(secret)])
    assert bad.exit_code != 0 and "employer_id" in bad.output

    result = runner.invoke(args=["jobmatch", "users", "reset-password", prompted],
                           input="một mật khẩu mới hơn\nmột mật khẩu mới hơn\n")
    assert result.exit_code == 0, result.output
    assert service.authenticate(prompted, "một mật khẩu mới hơn", client_ip="10.8.0.1")

    result = runner.invoke(args=["jobmatch", "users", "list"])
    assert result.exit_code == 0 and name in result.output and prompted in result.output
    assert "argon2" not in result.output and "mật khẩu" not in result.output

    result = runner.invoke(args=["jobmatch", "users", "deactivate", name])
    assert result.exit_code == 0, result.output
    assert refused(service, name, "mật khẩu từ tệp 2026", "10.8.0.2").reason == "invalid"
    assert runner.invoke(args=["jobmatch", "users", "deactivate", f"nobody.{unique()}"]).exit_code != 0


def test_ensure_demo_writes_one_user_per_role_to_a_private_file_and_is_idempotent(accounts_app, service, tmp_path):
    app, _ = accounts_app
    runner = app.test_cli_runner()
    path = tmp_path / "var" / "demo-users"
    result = runner.invoke(args=["jobmatch", "users", "ensure-demo", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text(encoding="utf-8")
    rows = [line.split("\t") for line in first.splitlines() if not line.startswith("#")]
    assert [row[0] for row in rows] == ["admin", "counsellor", "employer", "analyst"]
    for role, username, password in rows:
        user = service.authenticate(username, password, client_ip="10.9.0.1")
        assert user.role == role and user.employer_id == (DEMO_EMPLOYER if role == "employer" else None)

    again = runner.invoke(args=["jobmatch", "users", "ensure-demo", str(path)])
    assert again.exit_code == 0 and "unchanged" in again.output
    assert path.read_text(encoding="utf-8") == first

    path.unlink()  # the users exist but their passwords are lost: they get new ones
    result = runner.invoke(args=["jobmatch", "users", "ensure-demo", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text(encoding="utf-8") != first
    for _, username, password in (line.split("\t") for line in path.read_text().splitlines()[1:]):
        assert service.authenticate(username, password, client_ip="10.9.0.2").username == username


def test_housekeeping_deletes_throttling_records_past_the_window_and_keeps_the_rest(service, clock, es):
    old, recent = new_user(service), new_user(service)
    for _ in range(3):
        refused(service, old.username, "sai mật khẩu rồi", "10.9.0.1")
    clock.advance(LoginLimits().window_seconds + 1)
    refused(service, recent.username, "sai mật khẩu rồi", "10.9.0.2")
    cutoff = (clock() - timedelta(seconds=LoginLimits().window_seconds)).isoformat()
    assert service.purge_attempts() >= 2  # the old username's record and its address's
    es.indices.refresh(index=service.attempts_alias)
    assert es.count(index=service.attempts_alias, query={"range": {"updated_at": {"lt": cutoff}}})["count"] == 0
    # The recent failure still counts: four more and the username is throttled.
    for _ in range(4):
        assert refused(service, recent.username, "sai mật khẩu rồi", "10.9.0.2").reason == "invalid"
    assert refused(service, recent.username, PASSWORD, "10.9.0.2").reason == "throttled"
