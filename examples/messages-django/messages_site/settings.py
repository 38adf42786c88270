"""Settings of the Messages example, read from the environment.

PROTUS_URL, PROTUS_CLIENT_ID, PROTUS_CLIENT_SECRET and PROTUS_WEBHOOK_SECRET connect it to
PROTUS; MESSAGES_CLIENT_SERVICE / MESSAGES_CAMPAIGN_SERVICE name the two services of the
catalogue and MESSAGES_CLIENT_PRICE / MESSAGES_CAMPAIGN_PRICE their prices in minor units
(`manage.py seed_protus` creates the services and prints these lines).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
env = os.environ.get

SECRET_KEY = env("DJANGO_SECRET_KEY", "messages-example-not-a-secret")
DEBUG = env("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "protus.django",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "messages_site.urls"
WSGI_APPLICATION = "messages_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("MESSAGES_DATABASE", str(BASE_DIR / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "home"

PROTUS = {
    "BASE_URL": env("PROTUS_URL", "http://localhost:8080"),
    "CLIENT_ID": env("PROTUS_CLIENT_ID", ""),
    "CLIENT_SECRET": env("PROTUS_CLIENT_SECRET", ""),
    "WEBHOOK_SECRET": env("PROTUS_WEBHOOK_SECRET", ""),
    "SCOPES": "check hold charge profile",
    # Registered at PROTUS byte for byte; None builds it from the request's host.
    "REDIRECT_URI": env("PROTUS_REDIRECT_URI") or None,
}

MESSAGES = {
    "CLIENT_SERVICE": env("MESSAGES_CLIENT_SERVICE", ""),
    "CLIENT_PRICE": int(env("MESSAGES_CLIENT_PRICE", "5000")),
    "CAMPAIGN_SERVICE": env("MESSAGES_CAMPAIGN_SERVICE", ""),
    "CAMPAIGN_PRICE": int(env("MESSAGES_CAMPAIGN_PRICE", "150")),
    "CURRENCY": "RUB",
}

REST_FRAMEWORK = {
    # A PROTUS refusal raised in an API view is answered with the problem PROTUS sent.
    "EXCEPTION_HANDLER": "protus.django.permissions.exception_handler",
}
