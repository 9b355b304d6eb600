"""WSGI entry point (``luvat.config.wsgi:application``) for any WSGI server.

``application`` honours X-Forwarded-* only from ``LUVAT_TRUSTED_PROXIES``
(:mod:`luvat.web.proxies`), whichever server runs it.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from luvat.web.proxies import TrustedProxyMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
django_application = get_wsgi_application()
application = TrustedProxyMiddleware(django_application, settings.LUVAT_TRUSTED_PROXIES)
