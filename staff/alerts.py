"""The alerts console: a filtered list that updates itself, an alert's page, and its actions."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alerts.choices import Outcome
from alerts.models import Alert, TransitionNotAllowed
from damanat import numbers

from .access import page
from .forms import AlertFilterForm, AssignForm, CommentForm, NoteForm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest, HttpResponse

    from alerts.models import AlertQuerySet

PAGE_SIZE = 50
# The feed re-sends what changed in this overlap, so a row committed just after the
# previous poll's query is never missed; the browser replaces rows it already has.
FEED_OVERLAP = timedelta(seconds=2)

ACTION_PERMISSIONS = {
    "acknowledge": "alerts.acknowledge_alert",
    "assign": "alerts.assign_alert",
    "comment": "alerts.comment_alert",
    "resolve": "alerts.resolve_alert",
    "false_positive": "alerts.resolve_alert",
    "reopen": "alerts.resolve_alert",
}


DONE = {
    "acknowledge": gettext_lazy("Alert #%(id)s acknowledged."),
    "assign": gettext_lazy("Alert #%(id)s assigned."),
    "comment": gettext_lazy("Comment added to alert #%(id)s."),
    "resolve": gettext_lazy("Alert #%(id)s resolved."),
    "false_positive": gettext_lazy("Alert #%(id)s marked as false positive."),
    "reopen": gettext_lazy("Alert #%(id)s reopened."),
}


def console_queryset() -> AlertQuerySet:
    return Alert.objects.select_related("zone", "camera", "assigned_to").order_by("-last_seen_at", "-id")


def allowed_actions(user: User | AnonymousUser) -> set[str]:
    return {action for action, perm in ACTION_PERMISSIONS.items() if user.has_perm(perm)}


@page("alerts")
def console(request: HttpRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET)
    alerts = form.filter(console_queryset(), request.user)
    listing = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pages/alerts.html",
        {
            "form": form,
            "listing": listing,
            "actions": allowed_actions(request.user),
            "cursor": (timezone.now() - FEED_OVERLAP).isoformat(),
            "stream_url": settings.ALERT_STREAM_PATH,
        },
    )


@page("alerts")
def console_feed(request: HttpRequest) -> JsonResponse:
    """Rows changed since ``since``: rendered for the console, empty html when now filtered out."""
    since = parse_datetime(request.GET.get("since", "")) or timezone.now() - FEED_OVERLAP
    now = timezone.now()
    form = AlertFilterForm(request.GET)
    changed = list(console_queryset().changed_since(since)[:PAGE_SIZE])
    visible = set(
        form.filter(Alert.objects.filter(pk__in=[a.pk for a in changed]), request.user).values_list(
            "pk", flat=True
        )
    )
    params = request.GET.copy()
    params.pop("since", None)
    context = {
        "actions": allowed_actions(request.user),
        "console_url": f"{reverse('pages:alerts')}?{params.urlencode()}",
    }
    rows = [
        {
            "id": alert.pk,
            "is_new": alert.first_seen_at > since and alert.is_active,
            "html": render_to_string("pages/_alert_row.html", {"alert": alert, **context}, request)
            if alert.pk in visible
            else "",
        }
        for alert in reversed(changed)
    ]
    return JsonResponse({"cursor": (now - FEED_OVERLAP).isoformat(), "rows": rows})


@page("alerts")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(
        console_queryset().select_related(
            "source_event", "source_event__camera", "acknowledged_by", "resolved_by"
        ),
        pk=pk,
    )
    event = alert.source_event
    return render(
        request,
        "pages/alert_detail.html",
        {
            "alert": alert,
            "event": event,
            "pictures": list(event.pictures.all()) if event else [],
            "history": alert.history.select_related("user"),
            "actions": allowed_actions(request.user),
            "outcomes": [choice for choice in Outcome.choices if choice[0] != Outcome.FALSE_POSITIVE],
            "note_form": NoteForm(),
            "comment_form": CommentForm(),
            "assign_form": AssignForm(initial={"user": alert.assigned_to_id}),
        },
    )


@require_POST
@page("alerts")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_PERMISSIONS:
        raise Http404
    if not request.user.has_perm(ACTION_PERMISSIONS[action]):
        raise PermissionDenied
    alert = get_object_or_404(Alert, pk=pk)
    try:
        _perform(request, alert, action)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    return redirect(_next_url(request, alert))


def _perform(request: HttpRequest, alert: Alert, action: str) -> None:
    user = request.user
    if action == "assign":
        form = AssignForm(request.POST)
        if not form.is_valid():
            raise TransitionNotAllowed(_("Choose someone who handles alerts."))
        alert.assign(form.cleaned_data["user"], by=user)
    elif action == "comment":
        form = CommentForm(request.POST)
        if not form.is_valid():
            raise TransitionNotAllowed(_("Write a comment first."))
        alert.comment(form.cleaned_data["text"], by=user)
    else:
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        if action == "resolve":
            alert.resolve(by=user, note=note, outcome=_outcome(request.POST.get("outcome")))
        else:
            {
                "acknowledge": alert.acknowledge,
                "false_positive": alert.mark_false_positive,
                "reopen": alert.reopen,
            }[action](by=user, note=note)
    messages.success(request, DONE[action] % {"id": numbers.digits(alert.pk)})


def _outcome(value: str | None) -> str:
    return value if value in Outcome.values else Outcome.TRUE


def _next_url(request: HttpRequest, alert: Alert) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return alert_url(alert)


def alert_url(alert: Alert) -> str:
    return reverse("pages:alerts-detail", args=[alert.pk])
