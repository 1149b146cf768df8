import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

# The settings object itself: reading settings.SECRET_KEY would raise Django's own error first.
if not settings._wrapped.SECRET_KEY:  # type: ignore[misc]
    raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE: DEBUG is off.")
# The audit trail cannot be written without its key: refuse to serve rather than fail on the
# first audited page (docs/decisions/0010-keyed-audit-chain.md).
from lantern.foundation import audit  # noqa: E402

audit.load_keyring()

# Loaded: what was loaded is set aside from the garbage collector's full collections.
from lantern.site import serving  # noqa: E402

serving.settle()
