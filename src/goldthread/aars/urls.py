"""Web pages of AARs and lessons."""

from django.urls import path

from goldthread.aars import views

urlpatterns = [
    path("aars/<uuid:uid>/", views.report, name="aar"),
    path("events/<uuid:uid>/aar/", views.report, name="event-aar"),
    path("observations/<uuid:uid>/", views.observation, name="observation"),
    path("channel-items/<uuid:uid>/", views.channel_item, name="channel-item"),
]
