"""gunicorn settings, read by `gunicorn` started from the project root (README, Deploying).

Threaded workers (gthread): a phone sending a photo chunk at 40 KB/s occupies one thread,
not a whole worker, and the worker's heartbeat goes on meanwhile, so a slow upload is not
killed by the timeout and /healthz and the pages stay quick. 4 workers x 8 threads = 32
requests at once; uploads come in 256 KB chunks (app.photos.uploads), so none lasts long.
Behind nginx, `proxy_request_buffering on` (its default) lets nginx take the slow body
first, and gunicorn sees only fast requests. Command-line options override these.
"""

wsgi_app = "wsgi:app"
bind = "127.0.0.1:8000"
workers = 4
worker_class = "gthread"
threads = 8
timeout = 30  # a request the app itself spends longer on is stuck; slow clients are not
graceful_timeout = 30
keepalive = 5
