"""A breadth-first crawler over the signed-in pages, and the English page check.

Used by test_crawl.py: it follows every same-site <a href> of the office and field pages
(GET only), checks the status of everything it finds, and, on the English UI, reports any
Chinese text that is not data from the database.
"""

import re
import time
import traceback
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from sqlalchemy import JSON, String, Text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.extensions import db

# Pages whose links are followed; links elsewhere (public pages, photos) are only fetched.
CRAWLED = ("/office/", "/registers/", "/field/")
NEVER = ("/static/", "/logout", "/lang/")
# Downloads (exports, placards, photos) are checked by status only, and fewer of each.
DOWNLOAD = re.compile(r"(export|xlsx|download|png|svg|jpg|thumb|photo|signature|json|placards)")
PERIOD = re.compile(r"^\d{4}(Q[1-4])?$")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
CJK_CHARS = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
CJK = re.compile(f"[{CJK_CHARS}]")
# A run of Chinese text: from a Chinese character to the last one, with what may sit
# between them inside one phrase (quotes, digits, Latin words, spaces).
RUN = re.compile(f'[{CJK_CHARS}](?:[{CJK_CHARS}“”‘’"\\w\\s+\\-/%.()]*[{CJK_CHARS}])?')
# Columns that hold UI text the app must render in the reader's language: not data.
NOT_DATA = {("audit_event", "summary"), ("checklist_version", "content"),
            ("checklist_version", "title")}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt")


@dataclass
class Crawl:
    """What one crawl saw: statuses per URL, failures, and the Chinese left on pages."""

    statuses: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    chinese: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, str] = field(default_factory=dict)  # a Chinese run as first seen
    found_on: dict[str, str] = field(default_factory=dict)  # a URL -> the page linking it
    pages: int = 0
    capped: int = 0
    seconds: float = 0.0
    slowest: Counter = field(default_factory=Counter)  # seconds spent per cap unit


def is_id(value) -> bool:
    """Whether a path argument names one of many rows or periods (not a kind of page)."""
    return isinstance(value, int) or bool(PERIOD.match(str(value)))


def canonical(url: str) -> str:
    """A URL's path and sorted query: the crawl's identity of a page."""
    parts = urlsplit(url)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + urlencode(query) if query else "")


def same_site(base: str, href: str) -> str | None:
    """The canonical form of a link on this site, or None for other sites and non-pages."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://localhost" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
        return None
    url = canonical(parts.path + ("?" + parts.query if parts.query else ""))
    return None if url.startswith(NEVER) else url


class PageParser(HTMLParser):
    """Collects a page's links and its shown texts, skipping what is marked lang="zh…"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, inside an element declared Chinese)
        self.hidden = 0  # inside <script>/<style>

    def marked_chinese(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        lang = attrs.get("lang") or attrs.get("xml:lang") or ""
        zh = lang.lower().startswith("zh")  # declared Chinese, e.g. the printed placard
        if not (zh or self.marked_chinese()):
            self.shown_attributes(tag, attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in VOID:
            self.stack.append((tag, zh or self.marked_chinese()))

    def shown_attributes(self, tag, attrs):
        for name, value in attrs.items():
            if value and (name in SHOWN_ATTRS or name.startswith("data-")):
                self.texts.append(value)
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self.hidden and not self.marked_chinese() and data.strip():
            self.texts.append(data)


def walk_strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from walk_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_strings(v)


def data_strings(app) -> set[str]:
    """Every text with Chinese stored in the database (names, addresses, notes, snapshots…),
    and the city's configured name."""
    found: set[str] = {app.config["FANGXIN_CITY_NAME"]}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in NOT_DATA:
                continue
            if isinstance(column.type, String | Text | JSON):
                rows = db.session.execute(db.select(column).where(column.is_not(None)))
                for (value,) in rows:
                    found.update(s.strip() for s in walk_strings(value) if CJK.search(s))
    return {s for s in found if s}


class DataStripper:
    """Removes known data strings from a text, longest match first (indexed by first char).

    A match must stand on its own: not inside a longer run of Chinese characters, so that a
    short data string (a note saying "明厨亮灶") does not hide the UI text around it.
    """

    def __init__(self, strings: set[str]):
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for s in sorted(strings, key=len, reverse=True):
            self.by_first[s[0]].append(s)

    def match(self, text: str, i: int) -> str:
        for s in self.by_first.get(text[i], ()):
            end = i + len(s)
            if text.startswith(s, i) and not (end < len(text) and IDEOGRAPH.match(text[end])):
                return s
        return ""

    def strip(self, text: str) -> str:
        out, i, free = [], 0, True  # free: the previous character does not continue a word
        while i < len(text):
            found = self.match(text, i) if free else ""
            out.append(" " if found else text[i])
            free = bool(found) or not IDEOGRAPH.match(text[i])
            i += len(found) or 1
        return "".join(out)


def chinese_left(texts: list[str], stripper: DataStripper) -> list[str]:
    """The runs of Chinese on a page once its data is removed, whitespace collapsed."""
    left = []
    for text in texts:
        if CJK.search(text):
            left += RUN.findall(" ".join(stripper.strip(text).split()))
    return left


class Crawler:
    """Breadth-first over one signed-in client; at most `cap` URLs per endpoint and query keys."""

    def __init__(self, app, client, stripper: DataStripper | None, cap: int, download_cap: int):
        self.app, self.client, self.stripper = app, client, stripper
        self.cap, self.download_cap = cap, download_cap
        self.adapter = app.url_map.bind("localhost")
        self.seen: set[str] = set()
        self.per_pattern: Counter = Counter()
        self.queue: deque[str] = deque()
        self.result = Crawl()

    def pattern(self, url: str) -> tuple:
        """The unit of the cap: endpoint, its arguments but ids (an indicator's code, a
        format), and the query's keys."""
        parts = urlsplit(url)
        try:
            endpoint, args = self.adapter.match(parts.path, method="GET")
        except RequestRedirect:
            endpoint, args = "redirect:" + parts.path, {}
        except HTTPException:
            endpoint, args = "unrouted:" + parts.path, {}
        named = tuple(sorted((k, v) for k, v in args.items() if not is_id(v)))
        return endpoint, named, tuple(sorted({k for k, _ in parse_qsl(parts.query)}))

    def offer(self, url: str | None, found_on: str = "") -> None:
        if url is None or url in self.seen:
            return
        self.seen.add(url)
        if found_on:
            self.result.found_on[url] = found_on
        key = self.pattern(url)
        if DOWNLOAD.search(key[0] + str(key[1])):  # by endpoint, whatever the query
            key, cap = key[:2], self.download_cap
        else:
            cap = self.cap
        if self.per_pattern[key] >= cap:
            self.result.capped += 1
            return
        self.per_pattern[key] += 1
        self.queue.append(url)

    def run(self, starts: list[str]) -> Crawl:
        began = time.monotonic()
        for url in starts:
            self.offer(canonical(url))
        while self.queue:
            url = self.queue.popleft()
            began_url = time.monotonic()
            self.visit(url)
            self.result.slowest[str(self.pattern(url)[:2])] += time.monotonic() - began_url
        self.result.seconds = time.monotonic() - began
        return self.result

    def visit(self, url: str) -> None:
        try:
            response = self.client.get(url)
        except Exception as exc:  # TESTING propagates a view's exception: that is a 500
            self.result.statuses[url] = 500
            self.result.errors[url] = "".join(traceback.format_exception_only(exc)).strip()
            return
        self.result.statuses[url] = response.status_code
        if response.status_code >= 500:
            self.result.errors[url] = response.get_data(as_text=True)[:300]
        elif response.status_code in (301, 302, 303, 307, 308):
            self.offer(same_site(url, response.headers.get("Location", "")), url)
        elif response.mimetype == "text/html" and response.status_code == 200:
            self.read_page(url, response.get_data(as_text=True))
        response.close()

    def read_page(self, url: str, html: str) -> None:
        parser = PageParser()
        parser.feed(html)
        self.result.pages += 1
        if self.stripper is not None:
            for run in chinese_left(parser.texts, self.stripper):
                key = re.sub(r"\d+", "#", run)  # "总体目标 5" and "总体目标 6" are one text
                self.result.chinese[key][url] += 1
                self.result.examples.setdefault(key, run)
        if url.startswith(CRAWLED):
            for href in parser.links:
                self.offer(same_site(url, href), url)
