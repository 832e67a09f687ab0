from django.apps import AppConfig


class AarsConfig(AppConfig):
    name = "goldthread.aars"
    label = "aars"
    verbose_name = "After-action reports and lessons"
