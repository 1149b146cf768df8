"""Headers every page carries (issue 2 build item 2)."""


def test_sign_in_page_sends_csp_and_referrer_headers(client, db):
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_inline_script_carries_the_nonce_from_the_header(client, db):
    response = client.get("/sign-in/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_pages_for_signed_in_users_are_not_cached(p, as_user):
    response = as_user(p.alice).get("/")
    assert "no-store" in response["Cache-Control"]


def test_forms_need_a_csrf_token(p, child):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(p.alice)
    response = client.post(f"/children/{child.pk}/refer/", {"reason": "x"})
    assert response.status_code == 403


def test_sign_out_is_a_post(p, as_user):
    client = as_user(p.alice)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302


def test_production_settings_are_secure():
    import subprocess
    import sys

    code = (
        "import os; os.environ.pop('DEBUG', None); os.environ['SECRET_KEY'] = 'x' * 50;"
        "import lantern.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_importing_pytest_leaves_the_secure_defaults_on():
    """Only the test settings (lantern/settings_test.py) relax anything: a process that has
    pytest loaded but runs Lantern's own settings keeps every secure default."""
    import subprocess
    import sys

    code = (
        "import pytest, sys; assert 'pytest' in sys.modules;"
        "import lantern.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECRET_KEY == '', s.ALLOWED_HOSTS == [],"
        " not hasattr(s, 'PASSWORD_HASHERS'), not s.WHITENOISE_USE_FINDERS,"
        " s.STORAGES['staticfiles']['BACKEND'].endswith('CompressedManifestStaticFilesStorage'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["True"] * 9


def test_the_tests_run_with_the_test_settings(settings):
    import os

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "lantern.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
