"""Fixtures for the checklist and scoring tests: shipped programmes and small made-up ones."""

import tomllib

import pytest

from app.checklists import load_programmes
from app.checklists.loader import programme_from_dict

# A minimal valid programme; tests break it with str.replace.
DEMO_TOML = """
code = "demo"
title = "示例检查"
categories = ["rural_shop"]

[scoring]
rule = "general"

[[sections]]
id = "s1"
title = "第一部分"

[[sections.items]]
id = "d.s1.01"
text = "甲项"
key = true

[[sections.items]]
id = "d.s1.02"
text = "乙项"
key = false
"""


@pytest.fixture(scope="session")
def shipped():
    """The programmes shipped under app/checklists/."""
    return load_programmes()


@pytest.fixture
def demo_toml():
    """A minimal valid programme (file rural_shop, rule general, items d.s1.01 key, d.s1.02)."""
    return DEMO_TOML


@pytest.fixture
def write_toml(tmp_path):
    """Write TOML text into tmp_path under a name; returns the directory."""

    def write(text, name="bad.toml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


def build(text):
    """Build a programme from TOML text without a file."""
    return programme_from_dict(tomllib.loads(text), "test.toml", categories=None)


@pytest.fixture
def make_programme():
    """Build a programme from TOML text."""
    return build


@pytest.fixture
def general_programme():
    """Build a 'general' programme with some key and general items (ids t.k.NN, t.g.NN)."""

    def make(key_items=1, general_items=10, extra_scoring=""):
        items = [("k", "true", n) for n in range(key_items)]
        items += [("g", "false", n) for n in range(general_items)]
        body = "".join(
            f'\n[[sections.items]]\nid = "t.{p}.{n:02d}"\ntext = "项{p}{n}"\nkey = {k}\n'
            for p, k, n in items
        )
        head = 'code = "t"\ntitle = "测试"\ncategories = ["stall"]\n'
        scoring = f'[scoring]\nrule = "general"\n{extra_scoring}\n'
        return build(head + scoring + '[[sections]]\nid = "s"\ntitle = "部分"\n' + body)

    return make
