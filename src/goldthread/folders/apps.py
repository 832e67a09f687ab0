from django.apps import AppConfig


class FoldersConfig(AppConfig):
    name = "goldthread.folders"
    label = "folders"
