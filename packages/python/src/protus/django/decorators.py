"""``@protus_scope_required("charge")``: a view only for people who allow the scopes it needs."""

from __future__ import annotations

import functools
from typing import Any, Callable
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from . import _guard
from ._guard import ProtusUser

__all__ = ["ProtusUser", "protus_scope_required"]

OnDenied = Callable[[HttpRequest, dict], HttpResponse]


def protus_scope_required(*scopes: Any, on_denied: OnDenied | None = None) -> Callable:
    """Lets a request through only for a person who allows every one of ``scopes``.

    The person is the one of an ``Authorization: Bearer`` access token, or else the signed-in
    user's ``ProtusAccount`` (from Sign in with PROTUS or ``ensure_account``); the view finds
    them on ``request.protus`` (``account_id``, ``scopes``, ``via``). Otherwise it answers:

    - 401 problem+json ``unauthenticated`` when there is nobody (a browser asking for
      ``text/html`` is sent to ``protus:login`` with ``next`` instead);
    - 403 problem+json ``insufficient_scope`` with ``reconsent_url``: ``protus:login`` asking
      for the scopes granted and the missing ones, and coming back here (a browser gets the
      page ``protus/insufficient_scope.html`` with that link).

    Pass ``on_denied(request, problem)`` to answer with something of your own.

    Example::

        @require_POST
        @protus_scope_required("charge")
        def add_client(request):
            get_client().charges.create(account=request.protus.account_id, service="svc_…")
            return redirect("clients")
    """
    if len(scopes) == 1 and callable(scopes[0]):
        return protus_scope_required(on_denied=on_denied)(scopes[0])
    needed = tuple(scopes)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            state = _guard.resolve(request)
            request.protus = state.user
            denial = _guard.check(state, needed, request)
            if denial is None:
                return view(request, *args, **kwargs)
            if on_denied is not None:
                return on_denied(request, denial.body)
            return denial_response(request, denial, needed, state.invalid_token)

        # The guard answers people not signed in itself (a bearer token may sign them in), so
        # Django 5.1's LoginRequiredMiddleware leaves the view to it.
        guarded.login_required = False  # type: ignore[attr-defined]
        return guarded

    return decorator


def denial_response(
    request: HttpRequest, denial: _guard.Denial, needed: tuple[str, ...], invalid_token: bool
) -> HttpResponse:
    """The refusal as a browser or an API client wants it."""
    html = _guard.wants_html(request)
    if html and denial.status == 401 and not invalid_token:
        response: HttpResponse = HttpResponseRedirect(sign_in_url(request, needed))
    elif html and denial.status == 403:
        granted = request.protus.scopes if request.protus else []
        context = {"problem": denial.body, "granted": granted}
        response = render(request, "protus/insufficient_scope.html", context, status=403)
    else:
        response = JsonResponse(denial.body, status=denial.status, content_type="application/problem+json")
        for name, value in denial.headers.items():
            response[name] = value
    patch_vary_headers(response, ("Accept", "Authorization"))
    return response


def sign_in_url(request: HttpRequest, needed: tuple[str, ...]) -> str:
    """``protus:login`` asking for the usual scopes and ``needed``, coming back here."""
    from .conf import protus_settings

    scopes = _guard.ordered(str(protus_settings()["SCOPES"]).split() + list(needed))
    query = {"scope": " ".join(scopes), "next": _guard.return_path(request)}
    return f"{reverse('protus:login')}?{urlencode(query, quote_via=quote)}"
