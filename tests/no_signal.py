"""No signal in a browser test: the context is offline AND every request it makes is aborted.

`context.set_offline(True)` alone does not cover every request source in Chromium: a
`navigator.sendBeacon` (a keepalive request the browser process sends) was seen reaching the
server while offline, or arriving later once the test had gone back online. A context route
also sees the page's and the service worker's requests (Playwright routes service-worker
requests in Chromium) and fails them as a network error, as a phone with no signal would,
instead of letting them reach a server that answers 503. What the route refused is kept in
`tried` so a test can assert the app did not even try background work while offline.
"""

from urllib.parse import urlsplit


class NoSignal:
    """The route handler: abort every request as a lost connection and note what was tried."""

    def __init__(self):
        self.tried = []

    def __call__(self, route) -> None:
        request = route.request
        source = "worker" if request.service_worker else "page"
        self.tried.append((request.method, urlsplit(request.url).path, source))
        route.abort("internetdisconnected")


def cut(context) -> NoSignal:
    """Take the browser context off the network: offline, and every request aborted."""
    context.set_offline(True)
    handler = NoSignal()
    context.route("**/*", handler)
    context.no_signal = handler
    return handler


class InFlight:
    """The context's requests (page and worker) sent and not yet answered or failed."""

    def __init__(self, context):
        self.open = set()
        context.on("request", lambda request: self.open.add(request))
        context.on("requestfinished", lambda request: self.open.discard(request))
        context.on("requestfailed", lambda request: self.open.discard(request))

    def settle(self, page, timeout_ms: int = 10_000) -> None:
        """Wait until every request sent before now is answered: a server gate switched after
        this sees only what was sent with no signal, not an earlier request still queued."""
        for _ in range(timeout_ms // 50):
            if not self.open:
                return
            page.wait_for_timeout(50)


def restore(context) -> None:
    """Give the browser context its network back."""
    context.unroute("**/*", context.no_signal)
    context.set_offline(False)


def background(tried) -> list:
    """The requests tried that were not a page the test opened: API calls, uploads, any POST."""
    return [t for t in tried if t[0] != "GET" or t[1].startswith(("/api/", "/media/"))]


def browser_update_check(method: str, path: str, service_worker_header: str | None) -> bool:
    """Chromium's own update check of the worker's script, which neither the offline switch
    nor a context route covers (the browser process fetches it, seconds after a navigation
    or a fetch event): `GET /sw.js` with `Service-Worker: script`, and nothing else."""
    return method == "GET" and path == "/sw.js" and service_worker_header == "script"
