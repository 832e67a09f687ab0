from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "goldthread.delivery"
    label = "delivery"
