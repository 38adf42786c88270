"""What goes wrong when talking to PROTUS, as exceptions a partner can catch by kind.

Example::

    try:
        client.charges.create(account=account_id, service="svc_…")
    except protus.InsufficientFunds:
        return redirect("/top-up")
    except protus.InsufficientScope as error:
        return redirect(f"/protus/login/?scope={error.scope}")
"""

from __future__ import annotations

from typing import Any


class ProtusError(Exception):
    """A refusal or failure of a PROTUS API call.

    ``code`` is the problem code of the API answer (RFC 9457 problem+json), or
    ``connection_failed`` (no answer after every retry) or ``unexpected_response`` (an answer
    that is not PROTUS JSON, such as a proxy's HTML page).
    """

    def __init__(
        self,
        *,
        status: int,
        code: str,
        detail: str | None = None,
        request_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        text = code + (f": {detail}" if detail else "") + (f" (HTTP {status})" if status else "")
        super().__init__(text)
        #: HTTP status, 0 when no answer came.
        self.status = status
        self.code = code
        self.detail = detail
        #: The server's request id (also in its logs), when there was an answer.
        self.request_id = request_id
        #: Field errors of ``validation_failed``: ``{"pointer": "/amount", "message": …}``.
        self.errors = errors or []
        #: The whole problem body, with code-specific members such as ``scope`` or ``refundable``.
        self.problem = problem


class InsufficientFunds(ProtusError):
    """402 ``insufficient_funds``: the wallet's available funds do not cover the amount."""


class InsufficientScope(ProtusError):
    """403 ``insufficient_scope``: the person did not grant the scope the call needs."""

    @property
    def scope(self) -> str | None:
        """The missing scope, as the problem names it."""
        return (self.problem or {}).get("scope")


class GrantRevoked(ProtusError):
    """403 ``grant_revoked``: the person took back your access in PROTUS."""


class SpendingLimitExceeded(ProtusError):
    """402 ``spending_limit_exceeded``: the amount passes the person's monthly limit for you."""


_BY_CODE: dict[str, type[ProtusError]] = {
    "insufficient_funds": InsufficientFunds,
    "insufficient_scope": InsufficientScope,
    "grant_revoked": GrantRevoked,
    "spending_limit_exceeded": SpendingLimitExceeded,
}


def _is_problem(body: object) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("code"), str)
        and isinstance(body.get("status"), int)
        and not isinstance(body.get("status"), bool)
    )


def problem_error(status: int, body: object, request_id: str | None) -> ProtusError:
    """The exception for an HTTP answer that is not a success."""
    if _is_problem(body):
        assert isinstance(body, dict)
        code = body["code"]
        return _BY_CODE.get(code, ProtusError)(
            status=status,
            code=code,
            detail=body.get("detail"),
            request_id=body.get("request_id") or request_id,
            errors=body.get("errors"),
            problem=body,
        )
    # Answers that are not ours (a proxy's 502 page) still get a code a partner can act on.
    if status in (502, 503, 504):
        code = "service_unavailable"
    elif status >= 500:
        code = "internal_error"
    else:
        code = "unexpected_response"
    return ProtusError(
        status=status, code=code, detail=f"HTTP {status} without a problem body", request_id=request_id
    )


class OAuthError(Exception):
    """A failed step of Sign in with PROTUS or a token call.

    ``error`` is an RFC 6749 error (``access_denied``, ``invalid_grant``, …) or one of the
    package's own checks: ``state_mismatch``, ``issuer_mismatch``, ``missing_code``,
    ``connection_failed``, ``unexpected_response``.
    """

    def __init__(self, error: str, description: str | None = None, status: int = 0) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        #: HTTP status of the answer, 0 when it came back through the browser or no answer came.
        self.status = status


class WebhookVerificationError(Exception):
    """A webhook that is not authentic, too old or too new, or not an event: answer it with 400.

    ``reason`` is one of ``missing_headers``, ``invalid_timestamp``, ``timestamp_too_old``,
    ``timestamp_too_new``, ``invalid_secret``, ``no_matching_signature``, ``invalid_payload``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
