from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goldthread.events"
    label = "events"
