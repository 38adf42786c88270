"""The Django app of PROTUS: ``INSTALLED_APPS = [..., "protus.django"]`` (label ``protus``)."""

from django.apps import AppConfig


class ProtusConfig(AppConfig):
    """Registers the models, the templates and the built-in webhook receivers."""

    name = "protus.django"
    label = "protus"
    verbose_name = "PROTUS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
