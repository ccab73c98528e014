"""A threaded WSGI server for browser tests."""

import threading

from werkzeug.serving import make_server


class LiveServer:
    """Serve a Flask app on 127.0.0.1 at a free port until stopped."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
