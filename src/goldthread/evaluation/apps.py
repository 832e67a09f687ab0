from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "goldthread.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
