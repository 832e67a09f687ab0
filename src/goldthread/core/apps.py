from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldthread.core"
    label = "core"

    def ready(self) -> None:
        from goldthread.core import lookups, signals  # noqa: F401 - registers `__among`, connects the audit receivers
