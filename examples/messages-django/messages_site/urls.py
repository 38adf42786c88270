"""The URLs of the Messages example: its pages, its API, and PROTUS's sign-in and webhook views."""

from django.urls import include, path

from campaigns import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("register/", views.register, name="register"),
    path("signout/", views.sign_out, name="signout"),
    path("clients/", views.add_client, name="add-client"),
    path("campaigns/", views.launch_campaign, name="launch-campaign"),
    path("top-up/", views.top_up, name="top-up"),
    path("webhooks/", views.webhook_log, name="webhook-log"),
    path("api/clients", api.ClientsApi.as_view(), name="api-clients"),
    # protus:login, protus:callback and protus:webhook (POST from PROTUS, signature checked).
    path("protus/", include("protus.django.urls")),
]
