"""gunicorn's settings for the production shape (``make serve``, and the pages the scale
benchmark times): several sync workers, each its own process, which is how the web
outgrows one core. Read by ``gunicorn -c reform/gunicorn.conf.py``; each value can be
changed from the environment.

- ``BIND`` (default ``127.0.0.1:8000``): the address to listen on; behind a proxy on the
  same host keep the loopback.
- ``WEB_CONCURRENCY`` (gunicorn's own variable; default twice the cores): the workers.
- ``WEB_TIMEOUT`` (default 120 s): a request that takes longer is ended and its worker
  restarted; the whole country's workbook fits well inside it.
"""

import multiprocessing
import os

wsgi_app = "reform.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
timeout = int(os.environ.get("WEB_TIMEOUT", 120))
graceful_timeout = 20
# A worker is replaced after this many requests (with jitter, so they do not all restart
# at once): whatever a long-lived process would accumulate is given back.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_worker_init(worker):
    """Each worker compiles the templates and loads what pages import lazily before it
    takes its first request, then sets all that aside from the garbage collector
    (``reform.warm``)."""
    from reform.warm import settle, warm

    warm()
    settle()
