from django.urls import path

from . import (
    alerts,
    backtest,
    cameras,
    dashboard,
    evidence,
    inside,
    misreads,
    passages,
    reports,
    scorecard,
    vehicles,
)

app_name = "pages"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard/live", dashboard.dashboard_live, name="dashboard-live"),
    path("alerts/", alerts.console, name="alerts"),
    path("alerts/live", alerts.console_feed, name="alerts-live"),
    path("alerts/scorecard/", scorecard.scorecard_page, name="scorecard"),
    path("alerts/backtests/", backtest.backtests, name="backtests"),
    path("alerts/backtests/<int:pk>/", backtest.detail, name="backtest-detail"),
    path("alerts/<int:pk>/", alerts.detail, name="alerts-detail"),
    path("alerts/<int:pk>/<slug:action>", alerts.act, name="alerts-act"),
    path("inside/", inside.inside, name="inside"),
    path("log/", passages.log, name="log"),
    path("misreads/", misreads.inbox, name="misreads"),
    path("misreads/<int:pk>/<slug:action>", misreads.act, name="misreads-act"),
    path("vehicles/", vehicles.vehicles, name="vehicles"),
    path("reports/", reports.reports, name="reports"),
    path("cameras/", cameras.cameras, name="cameras"),
    path("evidence/", evidence.evidence_list, name="evidence"),
    path("evidence/export/<slug:subject_type>/<int:pk>", evidence.export, name="evidence-export"),
]
