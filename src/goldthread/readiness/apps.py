from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "goldthread.readiness"
    label = "readiness"
