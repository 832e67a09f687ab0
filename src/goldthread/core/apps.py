from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goldthread.core"
    label = "core"
