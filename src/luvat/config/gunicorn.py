"""gunicorn settings for Luvat: ``gunicorn -c python:luvat.config.gunicorn --bind 0.0.0.0:8000
luvat.config.wsgi:application``, or ``luvat serve --processes N``, which uses the same values.

gthread workers: ``LUVAT_SERVE_PROCESSES`` processes of ``LUVAT_SERVE_THREADS`` threads. The
app is loaded in each worker after the fork (no ``preload_app``), so no database connection
or AMQP socket is shared between processes. Logs go to stderr; the access log is left to the
proxy (Luvat logs each request with its id itself).
"""

from __future__ import annotations

from luvat.config.env import Environment

_env = Environment()

worker_class = "gthread"
workers = _env.integer("LUVAT_SERVE_PROCESSES")
threads = _env.integer("LUVAT_SERVE_THREADS")
# A request that takes longer than this is stuck: the worker is replaced.
timeout = 60
# SIGTERM: stop accepting, finish the requests in flight for up to this long.
graceful_timeout = 30
keepalive = 5
# Bound memory growth of long-lived processes: each is replaced after about this many requests.
max_requests = 10000
max_requests_jitter = 1000
# X-Forwarded-* are honoured only from LUVAT_TRUSTED_PROXIES, the same list the application's
# middleware (luvat.web.proxies) uses; empty trusts nobody.
forwarded_allow_ips = ",".join(_env.items("LUVAT_TRUSTED_PROXIES"))
errorlog = "-"
accesslog = None
proc_name = "luvat"
# No control socket: it lives in a fixed place per user, where two servers on one host collide.
control_socket_disable = True
