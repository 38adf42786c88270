"""The WSGI application of the Messages example."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messages_site.settings")
application = get_wsgi_application()
