"""The English catalogue is complete: every UI string found in the code is translated."""

import json
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def extracted(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
         "-o", str(pot), str(ROOT / "app")]
    )  # fmt: skip
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def translated() -> dict[str, str]:
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): m.string
        for m in catalog
        if m.id and not m.fuzzy
    }


def test_every_message_has_an_english_translation(tmp_path):
    english = translated()
    missing = sorted(m for m in extracted(tmp_path) if not english.get(m))
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:10]}"


def test_no_message_is_listed_twice():
    """Babel keeps the last of two entries silently; msgfmt -c (and translators' tools) refuse."""
    text = (ROOT / "app/translations/en/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    ids = [line for line in text.splitlines() if line.startswith('msgid "') and line != 'msgid ""']
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, twice


def script_texts(page: str) -> dict:
    block = page.split('<script type="application/json" id="js-messages">')[1]
    return json.loads(block.split("</script>")[0])


def test_scripts_get_their_texts_in_the_users_language(client, city, login):
    login(city.inspector)
    chinese = script_texts(client.get("/field/scan").get_data(as_text=True))
    assert chinese["scanner"]["scanning"] == "请将公示牌上的二维码对准取景框"
    client.post("/lang/en")
    english = script_texts(client.get("/field/scan").get_data(as_text=True))
    assert english["scanner"]["scanning"] == "Point the camera at the QR code on the placard"
    assert english["photos"]["retrying"] == "Upload failed; retrying in {0} s (try {1}/{2})"
