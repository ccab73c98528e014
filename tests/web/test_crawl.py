"""Every link of the office and field pages, for each role in both languages, on the full demo city.

The demo city is seeded once for this module (full scale, ~15 s) into a database of its own;
the crawls only GET, so they share it. A crawl fails on any 5xx or broken link; the English
one also on any Chinese text that is not data from the database. Each crawl writes what it
saw to tests/artifacts/crawl-<role>-<lang>.txt.
"""

import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.demo.city import DEMO_USERS, seed_demo
from app.extensions import db
from tests.conftest import PG_URL, RequestClient, base_config, migrate_to_head
from tests.web.crawl import Crawler, DataStripper, data_strings

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORDS = {username: password for username, _n, _r, password, _c in DEMO_USERS}
# Where each crawl starts (a role's own forbidden areas answer 403: fine for a start, not
# for a link found on a page).
STARTS = ["/", "/office/", "/field/", "/registers/registrations", "/registers/ledger",
          "/registers/coordinators"]  # fmt: skip
# URLs per endpoint and set of query keys: the office's many drill-down lists need fewer
# samples each than the inspector's few pages (each an establishment, an entry)
CAPS, DOWNLOAD_CAP = {"admin": 3, "viewer": 3, "inspector": 5}, 2
SHOWN = 100  # Chinese strings listed in a failure


def seeded_url(database, instance: Path):
    """A database of the crawl's own, migrated: a copied SQLite file or a new PostgreSQL one."""
    if database["kind"] == "sqlite":
        path = instance / "crawl.db"
        shutil.copy(database["template"], path)
        return f"sqlite:///{path}", None
    name = f"fangxin_crawl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, instance)
    return url, (admin, name)


def drop(pg) -> None:
    if pg is None:
        return
    admin, name = pg
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def demo_city(database, tmp_path_factory):
    """The app on the full demo city, an app context pushed; with the data's Chinese strings."""
    instance = tmp_path_factory.mktemp("crawl")
    url, pg = seeded_url(database, instance)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FANGXIN_INSTANCE_PATH", str(instance / "instance"))
        app = create_app(base_config(url, instance))
        app.test_client_class = RequestClient
        with app.app_context():
            seed_demo(1.0)
            db.session.commit()
            yield app, DataStripper(data_strings(app))
            db.session.remove()
            db.engine.dispose()
    drop(pg)


def signed_in(app, username: str, lang: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302, f"{username} could not sign in"
    assert client.post(f"/lang/{lang}").status_code == 302
    return client


def summary(crawl, role: str, lang: str) -> str:
    by_status: dict[int, int] = {}
    for status in crawl.statuses.values():
        by_status[status] = by_status.get(status, 0) + 1
    return (
        f"{role}/{lang}: {len(crawl.statuses)} URLs ({crawl.pages} HTML pages, "
        f"{crawl.capped} links over the cap) in {crawl.seconds:.1f} s; by status {by_status}"
    )


def chinese_report(crawl) -> list[str]:
    """The Chinese strings left on pages, most frequent first, with a count and an example URL."""
    ranked = sorted(crawl.chinese.items(), key=lambda kv: -sum(kv[1].values()))
    return [f"{sum(urls.values()):5d}  {text!r}  e.g. {next(iter(urls))}" for text, urls in ranked]


def broken(crawl) -> list[str]:
    """Every URL that answered 5xx (with its error), and every link to nothing (404) or to a
    page the user may not see (403), with the page that offered it."""
    lines = [f"{crawl.statuses[u]} {u}: {e}" for u, e in sorted(crawl.errors.items())]
    lines += [
        f"{s} {u} (linked from {crawl.found_on[u]})"
        for u, s in sorted(crawl.statuses.items())
        if s in (403, 404) and u in crawl.found_on
    ]
    return lines


def write_artifact(crawl, role, lang) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [summary(crawl, role, lang), "", *broken(crawl), "", *chinese_report(crawl), ""]
    lines += [f"{t:6.1f} s  {key}" for key, t in crawl.slowest.most_common(15)] + [""]
    lines += [f"{s} {u}" for u, s in sorted(crawl.statuses.items())]
    (ARTIFACTS / f"crawl-{role}-{lang}.txt").write_text("\n".join(lines), encoding="utf-8")


# The viewer's pages are the admin's, read-only: its English crawl checks their links and
# statuses too, so a Chinese one would repeat the admin's (about a minute per database).
CRAWLS = [("admin", "zh_CN"), ("admin", "en"), ("inspector", "zh_CN"), ("inspector", "en"),
          ("viewer", "en")]  # fmt: skip


@pytest.mark.parametrize(("role", "lang"), CRAWLS)
def test_every_link_answers_and_the_english_ui_has_no_chinese_outside_data(demo_city, role, lang):
    app, stripper = demo_city
    client = signed_in(app, role, lang)
    english = stripper if lang == "en" else None
    crawl = Crawler(app, client, english, CAPS[role], DOWNLOAD_CAP).run(STARTS)
    write_artifact(crawl, role, lang)
    print(summary(crawl, role, lang))
    assert crawl.pages > 20, summary(crawl, role, lang)
    failures = broken(crawl)
    assert not failures, summary(crawl, role, lang) + "\n" + "\n".join(failures)
    left = chinese_report(crawl)
    assert not left, (
        f"{len(left)} Chinese strings outside data on the English pages "
        f"(top {SHOWN}, count and an example URL):\n" + "\n".join(left[:SHOWN])
    )
