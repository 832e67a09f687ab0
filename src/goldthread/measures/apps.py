from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "goldthread.measures"
    label = "measures"
    verbose_name = "Measures and assessment"
