from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "goldthread.strategy"
    label = "strategy"
