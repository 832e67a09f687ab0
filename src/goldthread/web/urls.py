from django.contrib.auth import views as auth_views
from django.urls import include, path

from goldthread.delivery import views as delivery
from goldthread.events import views as events
from goldthread.planning import rfi_views as rfis
from goldthread.planning import views as planning
from goldthread.search import views as search
from goldthread.strategy import views as strategy
from goldthread.web import help, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", help.start, name="start"),
    path("help/", help.index, name="help"),
    path("help/<slug:name>/", help.page, name="help-page"),
    path("coverage/", views.coverage, name="coverage"),
    path("audit/", views.audit, name="audit"),
    path("objectives/", strategy.objective_tree, name="objective-tree"),
    path("objectives/list/", strategy.objective_list, name="objective-list"),
    path("objectives/<uuid:uid>/", strategy.objective_detail, name="objective"),
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/selected/", events.event_bulk, name="event-bulk"),
    path("events/<uuid:uid>/", events.event_detail, name="event"),
    path("events/<uuid:uid>/edit/", events.event_edit, name="event-edit"),
    path("events/<uuid:uid>/transition/", events.event_transition, name="event-transition"),
    path("events/<uuid:uid>/claims/", events.claim_add, name="claim-add"),
    path("claims/<uuid:uid>/delete/", events.claim_remove, name="claim-remove"),
    path("events/<uuid:uid>/conferences/new/", planning.conference_create, name="conference-create"),
    path("conferences/<uuid:uid>/", planning.conference_detail, name="conference"),
    path("conferences/<uuid:uid>/edit/", planning.conference_edit, name="conference-edit"),
    path("conferences/<uuid:uid>/approve/", planning.conference_approve, name="conference-approve"),
    path("conferences/<uuid:uid>/correct/", planning.conference_correct, name="conference-correct"),
    path("events/<uuid:uid>/packet/", planning.packet, name="packet"),
    path("events/<uuid:uid>/packet.<str:format>", planning.packet_file, name="packet-file"),
    path("events/<uuid:uid>/orders/new/", planning.order_create, name="order-create"),
    path("orders/<uuid:uid>/", planning.order_detail, name="order"),
    path("orders/<uuid:uid>/edit/", planning.order_edit, name="order-edit"),
    path("orders/<uuid:uid>/issue/", planning.order_issue, name="order-issue"),
    path("orders/<uuid:uid>.<str:format>", planning.order_file, name="order-file"),
    path("events/<uuid:uid>/requests/new/", rfis.rfi_create, name="rfi-create"),
    path("requests/<uuid:uid>/", rfis.rfi_detail, name="rfi"),
    path("requests/<uuid:uid>/answer/", rfis.rfi_answer, name="rfi-answer"),
    path("requests/<uuid:uid>/withdraw/", rfis.rfi_withdraw, name="rfi-withdraw"),
    path("themes/", planning.theme_list, name="theme-list"),
    path("themes/new/", planning.theme_create, name="theme-create"),
    path("themes/<uuid:uid>/", planning.theme_detail, name="theme"),
    path("themes/<uuid:uid>/edit/", planning.theme_edit, name="theme-edit"),
    path("inbox/", delivery.inbox, name="inbox"),
    path("inbox/acknowledge/", delivery.acknowledge_selected, name="inbox-acknowledge"),
    path("inbox/<uuid:uid>/acknowledge/", delivery.acknowledge, name="delivery-acknowledge"),
    path("search/", search.search_page, name="search"),
    path("", include("goldthread.folders.urls")),
    path("", include("goldthread.readiness.urls")),
    path("", include("goldthread.aars.urls")),
    path("", include("goldthread.measures.urls")),
    path("", include("goldthread.evaluation.urls")),
]
