"""Sign in with PROTUS (``protus_login``, ``protus_callback``) and the webhook view.

``protus.django.urls`` names them ``protus:login``, ``protus:callback`` and ``protus:webhook``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .. import webhooks
from ..errors import OAuthError, WebhookVerificationError
from . import _guard, conf, signals
from .models import ProtusAccount, ProtusWebhookEvent

logger = logging.getLogger("protus.django")

#: The session key of the sign-ins started and not finished yet, by state.
PENDING_KEY = "protus_sign_in"
#: How many unfinished sign-ins a session keeps (one per browser tab, say).
PENDING_MAX = 5


def _public(view: Any) -> Any:
    """Marks a view open to people not signed in, for Django 5.1's ``LoginRequiredMiddleware``
    (what ``login_not_required`` does, without needing that Django)."""
    view.login_required = False
    return view


def _client() -> Any:
    from . import get_client

    return get_client()


@_public
@require_GET
def protus_login(request: HttpRequest) -> HttpResponse:
    """Sends the browser to PROTUS to sign in (or to grant more scopes).

    Query: ``scope`` (default ``PROTUS["SCOPES"]``) and ``next``, a path on this site to come
    back to (anything else is replaced by the login redirect URL). The state, the PKCE verifier,
    the redirect URI and ``next`` are kept in the session for ``protus_callback``.
    """
    scope = request.GET.get("scope") or conf.protus_settings()["SCOPES"]
    redirect_uri = conf.protus_settings()["REDIRECT_URI"] or request.build_absolute_uri(
        reverse("protus:callback")
    )
    authorization = _client().oauth.authorization_url(redirect_uri, scope=scope, state=None)
    pending = dict(request.session.get(PENDING_KEY) or {})
    pending[authorization.state] = {
        "code_verifier": authorization.code_verifier,
        "redirect_uri": redirect_uri,
        "next": _guard.safe_next(request.GET.get("next")) or "",
    }
    request.session[PENDING_KEY] = dict(list(pending.items())[-PENDING_MAX:])
    return HttpResponseRedirect(authorization.url)


@_public
@require_GET
def protus_callback(request: HttpRequest) -> HttpResponse:
    """Finishes the sign-in: signs the Django user in and sends them to ``next``.

    The user is the one whose ``ProtusAccount`` has the PROTUS account id; else the user
    signed in now, when they have no PROTUS account yet (the account is linked to them); else
    a new user (username from ``preferred_username``, an unusable password, the email when the
    person shared it). The granted scopes and the tokens are stored on the account.

    A refusal renders ``protus/sign_in_error.html``: 403 when the person clicked "Deny"
    (``access_denied``), 400 for everything else (a used or foreign ``state``, a forged answer,
    a code PROTUS would not exchange).
    """
    pending = _pop_pending(request)
    target = (pending or {}).get("next") or resolve_url(conf.login_redirect_url())
    try:
        if pending is None:
            raise OAuthError("state_mismatch", "This sign-in was not started here, or was finished already")
        sign_in = _client().oauth.handle_callback(
            params=request.GET,
            state=request.GET["state"],
            code_verifier=pending["code_verifier"],
            redirect_uri=pending["redirect_uri"],
        )
    except OAuthError as error:
        return _sign_in_error(request, error, pending)
    user = _user_for(request, sign_in)
    if not user.is_active:
        return _sign_in_error(request, OAuthError("inactive_user", "This user is disabled"), pending)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return HttpResponseRedirect(target)


def _pop_pending(request: HttpRequest) -> dict | None:
    """The sign-in that the callback's ``state`` names, taken out of the session (one use)."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    found = pending.pop(request.GET.get("state") or "", None)
    if found is not None:
        request.session[PENDING_KEY] = pending
    return found


def _sign_in_error(request: HttpRequest, error: OAuthError, pending: dict | None) -> HttpResponse:
    query = "?" + urlencode({"next": pending["next"]}) if pending and pending.get("next") else ""
    context = {
        "error": error.error,
        "description": error.description,
        "retry_url": reverse("protus:login") + query,
    }
    status = 403 if error.error in ("access_denied", "inactive_user") else 400
    logger.info("Sign in with PROTUS failed: %s (%s)", error.error, error.description)
    return render(request, "protus/sign_in_error.html", context, status=status)


def _user_for(request: HttpRequest, sign_in: Any) -> Any:
    """The Django user of ``sign_in``, linked or made now, with its scopes and tokens stored."""
    with transaction.atomic():
        account = (
            ProtusAccount.objects.select_for_update()
            .select_related("user")
            .filter(account_id=sign_in.account_id)
            .first()
        )
        if account is None:
            account = ProtusAccount(account_id=sign_in.account_id, user=_owner_for(request, sign_in))
        account.scopes = " ".join(sign_in.scopes)
        account.set_tokens(sign_in.tokens)
        account.save()
    return account.user


def _owner_for(request: HttpRequest, sign_in: Any) -> Any:
    """The signed-in user when they have no PROTUS account yet, else a new user."""
    from . import account_of

    current = getattr(request, "user", None)
    if current is not None and current.is_authenticated and account_of(current) is None:
        return current
    return _new_user(sign_in)


def _new_user(sign_in: Any) -> Any:
    """A user for a person new here: unusable password, the email if they shared it."""
    model = get_user_model()
    info = sign_in.user or {}
    email_field = model.get_email_field_name()
    email = info.get("email") or ""
    if model.USERNAME_FIELD == email_field:
        base = email or f"{sign_in.account_id.lower()}@users.protus.invalid"
    else:
        base = info.get("preferred_username") or sign_in.account_id
    user = model(**{model.USERNAME_FIELD: _unique_username(model, base)})
    if email and hasattr(user, email_field):
        setattr(user, email_field, email)
    user.set_unusable_password()
    user.save()
    return user


def _unique_username(model: Any, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, … : the first no user has (cut to the field's length)."""
    field = model._meta.get_field(model.USERNAME_FIELD)
    limit = field.max_length or 150
    taken = model._default_manager.filter
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        candidate = base[: limit - len(suffix)] + suffix
        if not taken(**{model.USERNAME_FIELD: candidate}).exists():
            return candidate
    raise IntegrityError(f"no free username for {base!r}")


@_public
@csrf_exempt
def protus_webhook(request: HttpRequest) -> HttpResponse:
    """Receives PROTUS webhooks: verifies, records the event id once, sends the signals.

    A forged or stale request gets 400 ``{"received": false, "error": reason}``; an event id
    handled already gets 200 ``{"received": true, "duplicate": true}`` and ``webhook_duplicate``;
    a new event sends ``webhook_received`` and its type's signal inside the transaction that
    records it, then 200 ``{"received": true}``. A receiver that raises rolls the record back
    and the answer is 500, so PROTUS sends the event again.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        event = webhooks.verify(request.body, request.headers, conf.webhook_secret())
    except WebhookVerificationError as error:
        return JsonResponse({"received": False, "error": error.reason}, status=400)
    try:
        handled = _handle_once(event)
    except Exception:
        logger.exception("A receiver of the PROTUS webhook %s (%s) failed", event.get("type"), event.get("id"))
        return JsonResponse({"received": False, "error": "handler_failed"}, status=500)
    if not handled:
        signals.webhook_duplicate.send(sender=ProtusWebhookEvent, event=event)
        return JsonResponse({"received": True, "duplicate": True})
    return JsonResponse({"received": True})


def _handle_once(event: dict) -> bool:
    """Records the event and sends its signals in one transaction; False for a duplicate."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProtusWebhookEvent.objects.create(event_id=event["id"], type=str(event.get("type") or ""))
        except IntegrityError:
            return False
        signals.webhook_received.send(sender=ProtusWebhookEvent, event=event)
        signals.for_type(str(event.get("type") or "")).send(sender=ProtusWebhookEvent, event=event)
    return True
