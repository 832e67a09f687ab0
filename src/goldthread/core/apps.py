from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldthread.core"
    label = "core"

    def ready(self) -> None:
        from goldthread.core import signals  # noqa: F401 - connects the audit receivers
