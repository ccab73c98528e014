"""Default settings; instance/config.py and the environment override them."""

import os
from datetime import timedelta

MB = 1024 * 1024


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 21 * MB  # one photo of up to 20 MB plus its small multipart wrapper
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # an inspector may keep a checklist open all afternoon
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    FANGXIN_CITY_NAME = "义马市"
    # The issuing authority on the result sheet (env FANGXIN_AUTHORITY_NAME); None: the
    # city's 市场监督管理局, e.g. 义马市市场监督管理局 (app.inspections.record_form).
    FANGXIN_AUTHORITY_NAME = None
    FANGXIN_PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    FANGXIN_PAGE_SIZE = 50
    # Sign-in throttle (app.core.throttle): failures before a lock for a username from one
    # client address, for an address (any usernames) and for a username from all addresses;
    # the lock starts at LOGIN_LOCK_MINUTES and doubles with each further failure up to the
    # cap. `flask users unlock USERNAME` lifts it.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_MAX_FAILURES_PER_USERNAME = 50
    LOGIN_LOCK_MINUTES = 1
    LOGIN_LOCK_MAX_MINUTES = 60
    # A sign-in (app.core.sessions) and its remember cookie last at most this long.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    # True (env FANGXIN_HTTPS=1) when the site is served over HTTPS: cookies go out Secure.
    FANGXIN_HTTPS = False
    # domain.md (configurable): minimum inspections a year by risk grade; ungraded counts
    # as B, and central kitchens and group-meal suppliers never fall below C's rate.
    FANGXIN_MIN_VISITS_PER_YEAR = {"A": 1, "B": 2, "C": 3, "D": 4}
    FANGXIN_UNGRADED_AS = "B"
    FANGXIN_PRIORITY_CATEGORIES = ("central_kitchen", "group_meal")
    FANGXIN_PRIORITY_MIN_GRADE = "C"
    # domain.md (configurable): more general failures than this → 不符合. None keeps each
    # programme file's max_general_failures; a value here gives the programmes a new version.
    FANGXIN_MAX_GENERAL_FAILURES = None
    # A 飞行检查's deadline, in working days from the day it is started (app.flying).
    FANGXIN_FLYING_WORKING_DAYS = 5
    FANGXIN_AMEND_DAYS = 7  # an inspector may amend their own inspection this long after submit
    # Public side: complaints a sender (by address) may send an hour (no cap per
    # establishment: the office sees repeats folded), and short-code lookups a client
    # address may make a minute.
    FANGXIN_COMPLAINTS_PER_SENDER_HOUR = 3
    FANGXIN_LOOKUPS_PER_MINUTE = 30
    # Seconds each worker keeps an anonymous visitor's rendered public page (0 = off).
    FANGXIN_PUBLIC_CACHE_SECONDS = 10
    FANGXIN_TRUSTED_PROXIES = 0  # 1 behind nginx/Caddy: client address from X-Forwarded-For
    # Photos (app.photos.ingest): refused over these limits, stored re-encoded at these sizes.
    FANGXIN_PHOTO_MAX_BYTES = 20 * MB
    FANGXIN_PHOTO_MAX_PIXELS = 50_000_000
    FANGXIN_PHOTO_LONG_EDGE = 1600
    FANGXIN_PHOTO_THUMB_EDGE = 320
    FANGXIN_PHOTO_QUALITY = 82
    # Resumable uploads (app.photos.uploads): the largest chunk one request may carry, so that
    # no request holds a worker long on a slow phone; unfinished uploads kept this many hours.
    FANGXIN_UPLOAD_CHUNK_BYTES = 256 * 1024
    FANGXIN_UPLOAD_KEEP_HOURS = 24
    # /healthz answers 503 when the local photo store has less free space than this.
    FANGXIN_HEALTH_MIN_FREE_MB = 500
    # ... and when the database does not answer within this many seconds (app.core.health).
    FANGXIN_HEALTH_DB_TIMEOUT = 2
    # Where photos and signatures live: "local" (FANGXIN_UPLOAD_DIR) or "s3", an S3-compatible
    # object store (MinIO, Ceph RGW, a cloud OSS) that several app servers share.
    FANGXIN_STORAGE = "local"
    FANGXIN_S3_ENDPOINT_URL = None  # e.g. http://minio.internal:9000; None: AWS itself
    FANGXIN_S3_BUCKET = None
    FANGXIN_S3_ACCESS_KEY = None  # None: boto3's own chain (AWS_ACCESS_KEY_ID, …)
    FANGXIN_S3_SECRET_KEY = None
    FANGXIN_S3_REGION = "us-east-1"
    FANGXIN_S3_PREFIX = ""  # e.g. "yima/": objects go under yima/ab/….jpg


ENV_SETTINGS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "FANGXIN_SECRET_KEY": "SECRET_KEY",
    "FANGXIN_PUBLIC_BASE_URL": "FANGXIN_PUBLIC_BASE_URL",
    "FANGXIN_AUTHORITY_NAME": "FANGXIN_AUTHORITY_NAME",
    "FANGXIN_TRUSTED_PROXIES": "FANGXIN_TRUSTED_PROXIES",
    "FANGXIN_HTTPS": "FANGXIN_HTTPS",
    "FANGXIN_STORAGE": "FANGXIN_STORAGE",
    "FANGXIN_HEALTH_MIN_FREE_MB": "FANGXIN_HEALTH_MIN_FREE_MB",
    "FANGXIN_HEALTH_DB_TIMEOUT": "FANGXIN_HEALTH_DB_TIMEOUT",
    "FANGXIN_S3_ENDPOINT_URL": "FANGXIN_S3_ENDPOINT_URL",
    "FANGXIN_S3_BUCKET": "FANGXIN_S3_BUCKET",
    "FANGXIN_S3_ACCESS_KEY": "FANGXIN_S3_ACCESS_KEY",
    "FANGXIN_S3_SECRET_KEY": "FANGXIN_S3_SECRET_KEY",
    "FANGXIN_S3_REGION": "FANGXIN_S3_REGION",
    "FANGXIN_S3_PREFIX": "FANGXIN_S3_PREFIX",
}


def from_environment() -> dict:
    """Settings taken from environment variables, under their config names."""
    return {key: os.environ[var] for var, key in ENV_SETTINGS.items() if os.environ.get(var)}


def https_settings(config) -> dict:
    """With FANGXIN_HTTPS on (True, or "1"/"true"/"yes"/"on"), the cookie settings it implies."""
    value = config.get("FANGXIN_HTTPS")
    if isinstance(value, str):
        value = value.strip().lower() in {"1", "true", "yes", "on"}
    if not value:
        return {"FANGXIN_HTTPS": False}
    return {
        "FANGXIN_HTTPS": True,
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "PREFERRED_URL_SCHEME": "https",
    }
