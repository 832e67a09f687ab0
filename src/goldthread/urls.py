from django.urls import include, path

from goldthread.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("goldthread.web.urls")),
]
