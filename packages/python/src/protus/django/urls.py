"""``path("protus/", include("protus.django.urls"))``: ``protus:login``, ``protus:callback``,
``protus:webhook``."""

from django.urls import path

from . import views

app_name = "protus"

urlpatterns = [
    path("login/", views.protus_login, name="login"),
    path("callback/", views.protus_callback, name="callback"),
    path("webhook/", views.protus_webhook, name="webhook"),
]
