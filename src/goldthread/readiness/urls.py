"""Web pages of travel readiness."""

from django.urls import path

from goldthread.readiness import views

urlpatterns = [
    path("events/<uuid:uid>/readiness/", views.board, name="readiness"),
    path("events/<uuid:uid>/readiness.ics", views.board_calendar, name="readiness-calendar"),
    path("events/<uuid:uid>/travelers/new/", views.traveler_create, name="traveler-create"),
    path("travelers/<uuid:uid>/edit/", views.traveler_edit, name="traveler-edit"),
    path("travelers/<uuid:uid>/remove/", views.traveler_remove, name="traveler-remove"),
    path("entry-rules/", views.entry_rule_list, name="entry-rules"),
    path("countries/<str:iso3>/entry-rules/", views.entry_rule, name="entry-rule"),
]
