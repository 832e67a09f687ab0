"""Web pages of the evaluation: is the thread holding?"""

from django.urls import path

from goldthread.evaluation import views

urlpatterns = [
    path("evaluation/", views.dashboard, name="evaluation"),
    path("evaluation/report.<str:format>", views.report_file, name="evaluation-report"),
    path("evaluation/findings/<slug:kind>/", views.finding_list, name="evaluation-findings"),
    path("evaluation/discipline/", views.discipline_page, name="evaluation-discipline"),
    path("evaluation/portfolio/", views.portfolio_page, name="evaluation-portfolio"),
    path("evaluation/portfolio/<str:iso3>/standing/", views.standing_edit, name="standing-edit"),
    path("objectives/<uuid:uid>/contribution/", views.objective_contribution, name="objective-contribution"),
]
