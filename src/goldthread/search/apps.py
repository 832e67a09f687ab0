from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "goldthread.search"
    label = "search"
