"""A threaded WSGI server for browser tests."""

import threading

from werkzeug.serving import make_server


def buffered(app):
    """Each response read whole (and closed) before it is sent.

    A browser that drops the connection mid-file (a test closing its page while the service
    worker is still precaching jsQR) would otherwise leave the dev server's open file to the
    garbage collector, and filterwarnings = error turns that into a failed teardown.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


class LiveServer:
    """Serve a Flask app on 127.0.0.1 at a free port until stopped."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
