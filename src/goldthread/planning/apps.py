from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "goldthread.planning"
    label = "planning"
