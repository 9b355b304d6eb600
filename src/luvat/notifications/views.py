"""The person's in-service notifications and their preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luvat.audit.actors import ActorKind
from luvat.identity.door import actor_from_request, require_actor
from luvat.identity.policy import acting_authority, is_authority_administrator
from luvat.notifications.addresses import (
    InvalidAddress,
    InvalidVerificationLink,
    email_address_remove,
    email_address_resend,
    email_address_set,
    email_address_verify,
    email_redeliver,
)
from luvat.notifications.models import (
    ALWAYS_IN_SERVICE,
    MessagesChannel,
    Notification,
    NotificationKind,
)
from luvat.notifications.selectors import (
    dead_letters,
    email_address_of,
    notification_list,
    notification_preferences,
)
from luvat.notifications.services import (
    messages_channel_set,
    notification_mark_read,
    notification_preferences_update,
)

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
            if kind not in ALWAYS_IN_SERVICE
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
        if kind not in ALWAYS_IN_SERVICE
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": rows,
            "language": prefs.language,
            "address": email_address_of(user_id=_user_id(request)),
        },
    )


@require_http_methods(["GET", "POST"])
@person
def email_view(request: HttpRequest) -> HttpResponse:
    """The person's notification address: enter, change, verify again or remove it."""
    user_id = _user_id(request)
    actor = actor_from_request(request)
    if request.method == "POST":
        action = request.POST.get("action", "set")
        if action == "remove":
            email_address_remove(actor=actor, user_id=user_id)
            messages.success(request, _("No more notifications are e-mailed to you."))
        elif action == "resend":
            email_address_resend(actor=actor, user_id=user_id)
            messages.success(request, _("A new confirmation link is on its way."))
        else:
            try:
                row = email_address_set(
                    actor=actor,
                    user_id=user_id,
                    address=request.POST.get("address", ""),
                    language=translation.get_language() or "fi",
                )
            except InvalidAddress:
                messages.error(request, _("Enter an e-mail address such as name@example.fi."))
            else:
                if row.usable:
                    messages.success(request, _("This address is already confirmed."))
                else:
                    messages.success(
                        request,
                        _("We sent a confirmation link to %(address)s. Open it to start.")
                        % {"address": row.address},
                    )
        return redirect("notifications:email")
    return render(
        request, "notifications/email.html", {"address": email_address_of(user_id=user_id)}
    )


@require_http_methods(["GET", "POST"])
def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. GET only asks (mail scanners open links)."""
    if request.method == "POST":
        try:
            row = email_address_verify(token=token)
        except InvalidVerificationLink:
            return render(request, "notifications/email_verify.html", {"invalid": True}, status=400)
        return render(request, "notifications/email_verify.html", {"verified": row.address})
    return render(request, "notifications/email_verify.html", {"token": token})


@require_http_methods(["GET", "POST"])
@require_actor(ActorKind.ADMINISTRATOR)
def dead_letter_view(request: HttpRequest) -> HttpResponse:
    """E-mails given up on, for an administrator to look into and send again."""
    actor = actor_from_request(request)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
        count = email_redeliver(actor=actor, notification_ids=ids)
        for user_id in [int(i) for i in request.POST.getlist("verification") if i.isdigit()]:
            email_address_resend(actor=actor, user_id=user_id)
            count += 1
        messages.success(request, _("%(count)s e-mails will be sent again.") % {"count": count})
        return redirect("notifications:dead-letters")
    return render(request, "notifications/dead_letters.html", {"letters": dead_letters()})


@require_http_methods(["GET", "POST"])
@require_actor(ActorKind.OFFICIAL)
def messages_channel_view(request: HttpRequest) -> HttpResponse:
    """The authority administrator turns Suomi.fi Messages on or off for their authority."""
    actor = actor_from_request(request)
    authority_code = acting_authority(actor)
    if request.method == "POST":
        try:
            messages_channel_set(
                actor=actor,
                authority_code=authority_code,
                service_id=request.POST.get("service_id", ""),
                enabled=request.POST.get("enabled") == "on",
            )
        except ValueError:
            messages.error(request, _("Enter the service ID to turn the channel on."))
        else:
            messages.success(request, _("The Suomi.fi Messages channel was saved."))
        return redirect("notifications:messages-channel")
    return render(
        request,
        "notifications/messages_channel.html",
        {
            "channel": MessagesChannel.objects.filter(authority_code=authority_code).first(),
            "authority_code": authority_code,
            "may_change": is_authority_administrator(actor, authority_code),
        },
    )
