"""Django settings for the tests of ``protus.django``: in-memory SQLite, the app, DRF."""

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
USE_TZ = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "tests.django_urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "protus.django",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_REDIRECT_URL = "/home/"
PROTUS = {
    "BASE_URL": "http://127.0.0.1:9",
    "CLIENT_ID": "cl_tests",
    "CLIENT_SECRET": "tests secret",
    "WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "protus.django.permissions.exception_handler",
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"protus.django": {"handlers": ["null"], "propagate": False}},
}


def configure() -> None:
    """Sets Django up with these settings, unless a test module of this process did already."""
    import os

    import django
    from django.apps import apps

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django_settings")
    if not apps.ready:
        django.setup()


def create_test_databases() -> object:
    """The test environment and databases for a module run by plain ``unittest``."""
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    return DiscoverRunner(verbosity=0).setup_databases()


def destroy_test_databases(state: object) -> None:
    from django.test.runner import DiscoverRunner
    from django.test.utils import teardown_test_environment

    DiscoverRunner(verbosity=0).teardown_databases(state)
    teardown_test_environment()
