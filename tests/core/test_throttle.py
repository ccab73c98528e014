"""Sign-in throttling: per username from one address, per address, per username overall.

Also the timing of refusals (an unknown user costs a hash like a wrong password) and the
command line's way back in for a locked-out admin.
"""

from datetime import timedelta
from unittest import mock

import pytest

from app import create_app
from app.core import accounts, throttle
from app.extensions import db
from app.models import AuditEvent, LoginThrottle, User, UserSession
from app.models.types import utcnow
from tests import factories

HOME, ELSEWHERE = "10.0.0.1", "10.0.0.2"
ACCOUNT_LOCKED, ADDRESS_LOCKED = "该账号已暂时锁定", "此网络地址登录失败次数过多"


@pytest.fixture
def limits(app):
    """Small thresholds, so a test needs few (hashing) requests to reach them."""
    app.config.update(
        LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=5, LOGIN_MAX_FAILURES_PER_USERNAME=7
    )


def attempt(client, username, password="wrong-pass", address=HOME):
    form = {"username": username, "password": password}
    return client.post("/login", data=form, environ_base={"REMOTE_ADDR": address})


def right(client, user, address=HOME):
    return attempt(client, user.username, factories.PASSWORD, address)


def fail(client, username="admin", times=1, address=HOME):
    for _ in range(times):
        assert attempt(client, username, address=address).status_code == 200


def refused_with(response, message):
    return response.status_code == 200 and message in response.get_data(as_text=True)


def test_a_username_locks_from_the_address_guessing_not_from_others(client, city, limits):
    fail(client, times=3)
    assert refused_with(right(client, city.admin), ACCOUNT_LOCKED), "even the right password"
    assert right(client, city.admin, address=ELSEWHERE).status_code == 302, "the admin elsewhere"


def test_an_address_locks_whatever_the_usernames(client, city, limits):
    for name in ["a", "b", "c", "d", "e"]:
        fail(client, username=name)
    assert refused_with(right(client, city.viewer), ADDRESS_LOCKED)
    assert right(client, city.viewer, address=ELSEWHERE).status_code == 302


def test_a_username_locks_everywhere_after_failures_from_many_addresses(client, city, limits):
    for n in range(7):
        fail(client, address=f"10.1.0.{n}")
    assert refused_with(right(client, city.admin, address="10.2.0.1"), ACCOUNT_LOCKED)
    assert right(client, city.viewer, address="10.2.0.1").status_code == 302


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, 0), (2, 0), (3, 1), (4, 2), (5, 4), (8, 32), (9, 60), (10, 60), (10_000, 60)],
)
def test_locks_double_up_to_the_cap(app, limits, failures, minutes):
    assert throttle.lock_minutes(failures, app.config["LOGIN_MAX_FAILURES"]) == minutes


def lapse_locks():
    """Every lock runs out (time passes), the counts stay."""
    db.session.execute(db.update(LoginThrottle).values(locked_until=utcnow()))
    db.session.commit()


def test_a_failure_after_a_lock_runs_out_locks_twice_as_long(client, city, limits):
    fail(client, times=3)
    assert refused_with(right(client, city.admin), "请 1 分钟后再试")
    lapse_locks()
    fail(client)
    assert refused_with(right(client, city.admin), "请 2 分钟后再试")
    lapse_locks()
    fail(client)
    assert refused_with(right(client, city.admin), "请 4 分钟后再试")


def test_a_refused_attempt_is_not_counted(client, city, limits):
    fail(client, times=3)
    fail(client, times=5)  # refused unchecked while locked
    row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.scope == throttle.PAIR))
    assert row.failures == 3


def test_a_success_restarts_the_usernames_counts_not_the_addresss(client, city, limits):
    fail(client, times=2)
    fail(client, username="nobody", times=2)
    assert right(client, city.admin).status_code == 302
    counts = dict(db.session.execute(db.select(LoginThrottle.scope, LoginThrottle.failures)).all())
    assert counts == {throttle.ADDRESS: 4, throttle.PAIR: 2, throttle.USERNAME: 2}, "nobody's"


def test_the_lock_holds_across_app_servers(app, client, city, limits):
    """Two app servers on one database: their failures add up."""
    other = create_app(dict(app.config, TESTING=True))
    second = other.test_client()
    fail(client)
    fail(second)
    fail(client)
    try:
        assert refused_with(right(second, city.admin), ACCOUNT_LOCKED)
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_cli_unlock_lets_a_locked_out_admin_in(client, runner, city, limits):
    for n in range(7):
        fail(client, address=f"10.1.0.{n}")
    fail(client, username="admin_", times=3)  # another name; "_" is no wildcard
    result = runner.invoke(args=["users", "unlock", "admin"])
    assert result.exit_code == 0 and "Unlocked user admin." in result.output
    assert right(client, city.admin, address="10.1.0.0").status_code == 302
    assert refused_with(attempt(client, "admin_"), ACCOUNT_LOCKED)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "unlock"))
    assert (event.user_id, event.entity_id) == (None, city.admin.id)
    assert event.summary == "解除用户 admin 的登录锁定"


def test_cli_unlock_an_address(client, runner, city, limits):
    for name in ["a", "b", "c", "d", "e"]:
        fail(client, username=name)
    result = runner.invoke(args=["users", "unlock", "--address", HOME])
    assert "Unlocked address 10.0.0.1." in result.output
    assert right(client, city.viewer).status_code == 302


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["users", "unlock", "viewer"], "No failed sign-ins recorded for user viewer."),
        (["users", "unlock"], "give a USERNAME, --address, or both"),
    ],
)
def test_cli_unlock_says_when_there_is_nothing_to_do(runner, city, args, output):
    assert output in runner.invoke(args=args).output


def test_cli_sign_out_ends_every_sign_in(client, runner, city):
    right(client, city.viewer)
    right(client.application.test_client(), city.viewer)
    result = runner.invoke(args=["users", "sign-out", "viewer"])
    assert "Signed viewer out of 2 sign-in(s)." in result.output
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0
    assert client.get("/office/").status_code == 302
    assert "no user 'ghost'" in runner.invoke(args=["users", "sign-out", "ghost"]).output


def inactive(city):
    city.viewer.active = False
    db.session.commit()
    return "viewer"


REFUSALS = {
    "unknown user": lambda city: "ghost",
    "wrong password": lambda city: "admin",
    "inactive user": inactive,
}


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS))
def test_every_refusal_costs_one_password_hash(client, city, refusal):
    """The same work whether the user exists or not: no telling users apart by timing."""
    from werkzeug import security

    username = REFUSALS[refusal](city)
    counting = mock.Mock(wraps=security.check_password_hash)
    with (
        mock.patch("app.core.accounts.check_password_hash", counting),
        mock.patch("app.models.user.check_password_hash", counting),
    ):
        response = attempt(client, username, password=factories.PASSWORD + "x")
    assert response.status_code == 200
    assert counting.call_count == 1


def test_the_dummy_hash_is_made_like_real_ones(app):
    user = User()
    user.set_password("a-real-password")  # the tests' users have a faster hash
    method = user.password_hash.split("$")[0]  # e.g. scrypt:32768:8:1
    assert accounts.dummy_hash().split("$")[0] == method


@pytest.mark.parametrize(
    ("scope", "quiet", "forgotten"),
    [
        (throttle.PAIR, timedelta(hours=23), False),
        (throttle.PAIR, timedelta(hours=25), True),
        (throttle.USERNAME, timedelta(hours=25), True),
        (throttle.ADDRESS, timedelta(hours=1), False),
        (throttle.ADDRESS, timedelta(hours=2, minutes=1), True),
    ],
)
def test_a_quiet_spell_forgets_a_count(client, city, limits, scope, quiet, forgotten):
    fail(client, times=2)
    db.session.execute(
        db.update(LoginThrottle)
        .where(LoginThrottle.scope == scope)
        .values(last_failure_at=utcnow() - quiet)
    )
    db.session.commit()
    fail(client)
    row = db.session.scalar(db.select(LoginThrottle).where(LoginThrottle.scope == scope))
    assert row.failures == (1 if forgotten else 3)


def test_failures_counted_at_once_all_count(app, city):
    """Eight workers failing at the same moment: one atomic upsert each, none lost."""
    from concurrent.futures import ThreadPoolExecutor

    def one_failure(_n):
        with app.app_context():
            throttle.record_failure("admin", HOME)
            db.session.commit()
            db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one_failure, range(8)))
    rows = db.session.execute(db.select(LoginThrottle.scope, LoginThrottle.failures)).all()
    assert sorted(rows) == [(throttle.ADDRESS, 8), (throttle.PAIR, 8), (throttle.USERNAME, 8)]
