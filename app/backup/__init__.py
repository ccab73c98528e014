"""Backup and restore: `flask backup DEST` and `flask restore SRC` (one tar archive).

The archive holds the database (SQLite: a copy by the online backup API; PostgreSQL:
`pg_dump --format=custom`), then the photo store and signatures (local storage only), then
the instance secret, and last manifest.json (versions, migration revision, row counts per
table, sha256 of every member).
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says what to do."""
