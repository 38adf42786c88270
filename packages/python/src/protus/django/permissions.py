"""``HasProtusScope("charge")``: the scope guard for Django REST framework views.

It answers like ``@protus_scope_required``: 401 ``unauthenticated`` without a person, 403
``insufficient_scope`` with ``reconsent_url`` when a scope is missing (JSON, rendered by DRF).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import ProtusError
from . import _guard


class ProtusDenied(APIException):
    """A refusal of the guard; DRF's exception handler answers its problem body as is."""

    def __init__(self, denial: _guard.Denial) -> None:
        super().__init__()
        self.status_code = denial.status
        # A dict detail is answered as the body itself; set after __init__ so DRF keeps
        # the numbers and lists of the problem as they are.
        self.detail = denial.body  # type: ignore[assignment]
        self.auth_header = denial.headers.get("WWW-Authenticate")


class HasProtusScope(BasePermission):
    """Lets a request through only for a person who allows every one of ``scopes``.

    The person comes from an ``Authorization: Bearer`` access token or the request's user
    (their ``ProtusAccount``), and is left on ``request.protus``. DRF makes an instance of each
    entry of ``permission_classes``; an instance answers itself, so it may be listed directly.

    Example::

        class Clients(APIView):
            permission_classes = [HasProtusScope("charge")]

            def post(self, request):
                charge = get_client().charges.create(account=request.protus.account_id,
                                                     service="svc_…")
                return Response(charge, status=201)
    """

    def __init__(self, *scopes: str) -> None:
        self.scopes = tuple(scopes)

    def __call__(self) -> HasProtusScope:
        return self

    def __repr__(self) -> str:
        return f"HasProtusScope({', '.join(map(repr, self.scopes))})"

    def has_permission(self, request: Any, view: Any) -> bool:
        state = _guard.resolve(request)
        request.protus = state.user
        denial = _guard.check(state, self.scopes, request)
        if denial is not None:
            raise ProtusDenied(denial)
        return True


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, and a PROTUS refusal (``InsufficientFunds``, ``GrantRevoked``,
    …) raised by a view answered with the problem PROTUS sent, as PROTUS sent it. A failure of
    PROTUS itself (no answer, a 5xx) is left to Django: a 500 of yours.

    Example::

        REST_FRAMEWORK = {"EXCEPTION_HANDLER": "protus.django.permissions.exception_handler"}
    """
    if isinstance(exc, ProtusError) and exc.problem is not None and 400 <= exc.status < 500:
        return Response(exc.problem, status=exc.status, content_type="application/problem+json")
    return drf_exception_handler(exc, context)
