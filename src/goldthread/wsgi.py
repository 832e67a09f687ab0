"""The WSGI application, as `goldthread serve` and any other WSGI server load it."""

import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
application = get_wsgi_application()

# What is loaded by now (the views and all they import) lives as long as the process. Frozen out of the collector's
# reach, it is not scanned again by every full collection, which a request building a large objective graph sets off
# midway: 200-300 ms each time, one request in ten for a national goal's thread at 500,000 events.
importlib.import_module(settings.ROOT_URLCONF)
gc.freeze()
