from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "goldthread.web"
    label = "web"
