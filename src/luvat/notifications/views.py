"""The person's in-service notifications and their preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luvat.identity.policy import actor_from_request, require_actor
from luvat.notifications.models import Notification, NotificationKind
from luvat.notifications.selectors import notification_list, notification_preferences
from luvat.notifications.services import notification_mark_read, notification_preferences_update

person = require_actor()


def _user_id(request: HttpRequest) -> int:
    user_id = request.user.pk
    if not isinstance(user_id, int):  # require_actor lets only logged-in people through
        raise PermissionError("not logged in")
    return user_id


@require_GET
@person
def notification_list_view(request: HttpRequest) -> HttpResponse:
    listing = notification_list(user_id=_user_id(request))
    return render(request, "notifications/list.html", {"listing": listing})


@require_POST
@person
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    notification_mark_read(user_id=_user_id(request), notification_ids=ids or None)
    return redirect("notifications:list")


@require_GET
@person
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and follow its link (only to this service)."""
    notification = Notification.objects.filter(
        pk=notification_id, recipient_id=request.user.pk
    ).first()
    if notification is None:
        return redirect("notifications:list")
    notification_mark_read(user_id=_user_id(request), notification_ids=[notification.pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@person
def preferences_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        channels = {
            kind.value: (
                request.POST.get(f"{kind.value}-in_service") == "on",
                request.POST.get(f"{kind.value}-email") == "on",
            )
            for kind in NotificationKind
        }
        language = request.POST.get("language", "fi")
        try:
            notification_preferences_update(
                actor=actor_from_request(request),
                user_id=_user_id(request),
                language=language,
                channels=channels,
            )
        except ValueError:
            messages.error(request, _("Choose one of the languages of the service."))
        else:
            messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    prefs = notification_preferences(user_id=_user_id(request))
    rows = [
        (kind.value, kind.label, prefs.channels[kind.value][0], prefs.channels[kind.value][1])
        for kind in NotificationKind
    ]
    return render(
        request, "notifications/preferences.html", {"rows": rows, "language": prefs.language}
    )
