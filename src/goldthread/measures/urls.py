"""Web pages of indicators, measured values and assessments."""

from django.urls import path

from goldthread.measures import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/new/", views.indicator_create, name="indicator-create"),
    path("indicators/import/", views.indicator_import, name="indicator-import"),
    path("indicators/import/confirm/", views.indicator_import_confirm, name="indicator-import-confirm"),
    path("indicators/<uuid:uid>/", views.indicator, name="indicator"),
    path("indicators/<uuid:uid>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<uuid:uid>/chart.<str:format>", views.indicator_chart, name="indicator-chart"),
    path("indicators/<uuid:uid>/targets/", views.indicator_target, name="indicator-target"),
    path("indicators/<uuid:uid>/lock/", views.indicator_lock, name="indicator-lock"),
    path("indicators/<uuid:uid>/unlock/", views.indicator_unlock, name="indicator-unlock"),
    path("indicators/<uuid:uid>/values/new/", views.value_create, name="value-create"),
    path("values/<uuid:uid>/edit/", views.value_edit, name="value-edit"),
    path("values/<uuid:uid>/submit/", views.value_submit, name="value-submit"),
    path("values/<uuid:uid>/approve/", views.value_approve, name="value-approve"),
    path("values/<uuid:uid>/return/", views.value_return, name="value-return"),
    path("objectives/<uuid:uid>/measures.<str:format>", views.objective_measures_document, name="objective-measures"),
    path("objectives/<uuid:uid>/assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<uuid:uid>/", views.assessment, name="assessment"),
    path("assessments/<uuid:uid>/edit/", views.assessment_edit, name="assessment-edit"),
    path("assessments/<uuid:uid>/evidence/", views.assessment_cite, name="assessment-cite"),
    path("assessments/<uuid:uid>/evidence/remove/", views.assessment_uncite, name="assessment-uncite"),
    path("assessments/<uuid:uid>/submit/", views.assessment_submit, name="assessment-submit"),
]
