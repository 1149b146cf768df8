"""Settings for the tests (pytest's DJANGO_SETTINGS_MODULE in pyproject.toml): Lantern's own
settings with only what tests need changed. Nothing else selects these: importing pytest, or
running Lantern from a test tool, leaves lantern/settings.py's secure defaults as they are.
"""

from lantern.settings import *  # noqa: F403
from lantern.settings import (
    AUDIT_CHECKPOINT_LOG,
    AUDIT_KEY_FILE,
    AUDIT_SIGNING_KEY_FILE,
    SECRET_KEY,
    STATIC_ROOT,
    STORAGES,
    VAR_DIR,
    development_file,
    env_bool,
    env_list,
    new_audit_keyring,
    new_signing_key,
)

# The test client and the live server speak plain http on this machine.
SECURE_HTTP = env_bool("SECURE_HTTP", default=False)
SESSION_COOKIE_SECURE = SECURE_HTTP
CSRF_COOKIE_SECURE = SECURE_HTTP
SECURE_SSL_REDIRECT = SECURE_HTTP
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_HTTP else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTP

# A key that signs only test sessions (SECRET_KEY from the environment still wins).
SECRET_KEY = SECRET_KEY or "lantern-tests-only-" + "k" * 40  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# The audit trail's keys, generated once into var/ as in development (the environment's win).
AUDIT_KEY_FILE = AUDIT_KEY_FILE or development_file("audit-keyring", new_audit_keyring)
AUDIT_SIGNING_KEY_FILE = AUDIT_SIGNING_KEY_FILE or development_file("audit-signing-key.pem",
                                                                    new_signing_key)
AUDIT_CHECKPOINT_LOG = AUDIT_CHECKPOINT_LOG or str(VAR_DIR / "audit-checkpoints.log")

# A fast password hasher: tests create and sign in many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files from the apps' folders, without collectstatic's manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# An empty STATIC_ROOT keeps WhiteNoise from warning that it is missing.
STATIC_ROOT.mkdir(exist_ok=True)

# Each audit row is chained as it is written, so a test reads it at once; the sequencer's own
# tests switch to "sequencer" (lantern/foundation/tests/test_audit_sequencer.py).
AUDIT_SEALING = "inline"

# WhiteNoise looks a static file up when it is asked for instead of listing every app's static
# files whenever a handler starts: the test client starts one per test, and listing them cost
# about a tenth of a second each time (issue 12's profile of the access matrix).
WHITENOISE_AUTOREFRESH = True

# PostgreSQL test databases do not wait for each commit to reach the disk: a crash loses only
# test data, and the live-server tests commit on every page (an audit row each).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
