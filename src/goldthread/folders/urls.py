"""Web pages of the country folders."""

from django.urls import path

from goldthread.folders import views

urlpatterns = [
    path("folders/", views.folder_list, name="folder-list"),
    path("countries/<str:iso3>/folder/", views.folder, name="folder"),
    path("countries/<str:iso3>/folder/book/", views.folder_export, name="folder-export"),
    path("countries/<str:iso3>/folder/observances/", views.observance_add, name="observance-add"),
    path("countries/<str:iso3>/folder/attachments/", views.attachment_add, name="attachment-add"),
    path("countries/<str:iso3>/folder/<str:key>/", views.section_detail, name="folder-section"),
    path("countries/<str:iso3>/folder/<str:key>/edit/", views.section_edit, name="folder-section-edit"),
    path("countries/<str:iso3>/folder/<str:key>/verify/", views.section_verify, name="folder-section-verify"),
    path("countries/<str:iso3>/folder/<str:key>/restore/", views.section_restore, name="folder-section-restore"),
    path("people/<str:username>/book/", views.person_book, name="person-book"),
    path("attachments/<uuid:uid>/", views.attachment_download, name="attachment"),
]
