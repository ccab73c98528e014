"""Helpers for the bulk-import tests: upload a file, confirm its preview, count the registry."""

import io

from app.extensions import db
from app.models import Establishment


def upload(client, data, name):
    """Post a register file to the import page; returns the preview response."""
    return client.post(
        "/office/establishments/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm(client, page, mode):
    """Confirm the preview in `page`, importing all rows or only the good ones."""
    token = page.split('name="token" value="')[1].split('"')[0]
    return client.post("/office/establishments/import/confirm", data={"token": token, "mode": mode})


def count():
    """How many establishments the registry holds."""
    return db.session.scalar(db.select(db.func.count(Establishment.id)))
