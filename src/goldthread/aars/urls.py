"""Web pages of AARs and lessons."""

from django.urls import path

from goldthread.aars import views

urlpatterns = [
    path("aars/", views.report_list, name="aar-list"),
    path("aars/<uuid:uid>/", views.report, name="aar"),
    path("aars/<uuid:uid>.<str:format>", views.report_file, name="aar-file"),
    path("aars/<uuid:uid>/edit/", views.report_edit, name="aar-edit"),
    path("aars/<uuid:uid>/score/", views.report_score, name="aar-score"),
    path("aars/<uuid:uid>/submit/", views.report_submit, name="aar-submit"),
    path("aars/<uuid:uid>/return/", views.report_return, name="aar-return"),
    path("aars/<uuid:uid>/approve/", views.report_approve, name="aar-approve"),
    path("aars/<uuid:uid>/disseminate/", views.report_disseminate, name="aar-disseminate"),
    path("aars/<uuid:uid>/actions/", views.action_add, name="aar-action-add"),
    path("aars/<uuid:uid>/actions/done/", views.action_done, name="aar-action-done"),
    path("aars/<uuid:uid>/observations/new/", views.observation_create, name="observation-create"),
    path("events/<uuid:uid>/aar/", views.event_report, name="event-aar"),
    path("events/<uuid:uid>/aar/start/", views.report_start, name="aar-start"),
    path("events/<uuid:uid>/aar/import/", views.report_import, name="aar-import"),
    path("observations/<uuid:uid>/", views.observation, name="observation"),
    path("observations/<uuid:uid>/edit/", views.observation_edit, name="observation-edit"),
    path("observations/<uuid:uid>/remove/", views.observation_remove, name="observation-remove"),
    path("observations/<uuid:uid>/advance/", views.observation_advance, name="observation-advance"),
    path("channel-items/", views.channel_item_list, name="channel-item-list"),
    path("channel-items/<uuid:uid>/", views.channel_item, name="channel-item"),
    path("channel-items/<uuid:uid>/close/", views.channel_item_close, name="channel-item-close"),
    path("lessons/", views.lessons, name="lessons"),
    path("lessons/export.<str:format>", views.lessons_export, name="lessons-export"),
]
