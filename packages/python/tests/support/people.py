"""What a person's browser and a company's dashboard do on PROTUS, over plain HTTP.

Example::

    company = people.register_company(base_url)
    ann = people.signed_in_person(base_url)
    people.top_up(ann, 50_000)
    back = people.consent(ann, authorization_url, allow=True, scopes=["check", "charge"])
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests


def unique(label: str) -> str:
    return f"{label}-{secrets.token_hex(4)}"


def _json(response: requests.Response, status: int) -> Any:
    if response.status_code != status:
        raise AssertionError(
            f"{response.request.method} {response.url}: expected {status}, got "
            f"{response.status_code}: {response.text}"
        )
    return response.json() if response.content else None


@dataclass
class Browser:
    """A signed-in browser: its session cookie and the CSRF token state changes must send."""

    base_url: str
    session: requests.Session
    csrf: str

    def get(self, path: str, status: int = 200) -> Any:
        return _json(self.session.get(self.base_url + path, timeout=30), status)

    def post(self, path: str, json: Any = None, status: int = 200, key: bool = False) -> Any:
        headers = {"x-csrf-token": self.csrf}
        if key:
            headers["idempotency-key"] = secrets.token_hex(8)
        response = self.session.post(self.base_url + path, json=json, headers=headers, timeout=30)
        return _json(response, status)

    def delete(self, path: str, status: int = 204) -> Any:
        response = self.session.delete(self.base_url + path, headers={"x-csrf-token": self.csrf}, timeout=30)
        return _json(response, status)


def _sign_in(base_url: str, email: str, password: str, kind: str) -> Browser:
    session = requests.Session()
    response = session.post(
        f"{base_url}/v1/sessions", json={"email": email, "password": password, "kind": kind}, timeout=30
    )
    body = _json(response, 201)
    return Browser(base_url, session, body["csrf_token"])


def register_company(base_url: str, name: str | None = None) -> dict[str, str]:
    """Registers a partner company; answers its credentials (shown only now) and its login."""
    name = name or unique("messages")
    email, password = f"{name}@example.com", "company password"
    response = requests.post(
        f"{base_url}/v1/companies",
        json={"email": email, "name": f"Messages {name}", "password": password},
        timeout=30,
    )
    body = _json(response, 201)
    return {
        "id": body["id"],
        "client_id": body["client_id"],
        "client_secret": body["client_secret"],
        "webhook_secret": body["webhook_secret"],
        "email": email,
        "password": password,
    }


def company_dashboard(base_url: str, company: dict[str, str]) -> Browser:
    """The company signed in to its dashboard, as its browser is."""
    return _sign_in(base_url, company["email"], company["password"], "company")


def signed_in_person(base_url: str) -> Browser:
    """Registers a person and signs them in."""
    name = unique("ann")
    email, password = f"{name}@example.com", "correct horse"
    response = requests.post(
        f"{base_url}/v1/customers", json={"email": email, "username": name, "password": password}, timeout=30
    )
    _json(response, 201)
    return _sign_in(base_url, email, password, "customer")


def pay_checkout(checkout_url: str) -> None:
    """The payer's click on "Pay" on the sandbox checkout page."""
    response = requests.post(checkout_url, data={"outcome": "succeeded"}, timeout=30)
    if response.status_code != 200:
        raise AssertionError(f"checkout {checkout_url}: {response.status_code} {response.text}")


def top_up(person: Browser, amount: int) -> None:
    """Tops up the person's own wallet through the sandbox provider."""
    topup = person.post("/v1/me/topups", {"amount": amount}, status=201, key=True)
    pay_checkout(topup["checkout_url"])


def wallet(person: Browser) -> dict[str, int]:
    """The person's wallet: ``available``, ``held`` and ``posted``, in minor units."""
    return person.get("/v1/me/wallet")


def consent(
    person: Browser, authorization_url: str, allow: bool = True, scopes: list[str] | None = None
) -> str:
    """Follows an authorization URL as the person's browser would: the authorization endpoint
    with the session cookie, then the consent page's decision. Answers the URL PROTUS sends the
    browser back to (the partner's redirect URI with code, state and iss, or an error). Allowing
    grants ``scopes``, or every scope the authorization URL asks for."""
    first = person.session.get(authorization_url, allow_redirects=False, timeout=30)
    if first.status_code != 302:
        raise AssertionError(f"authorize: {first.status_code} {first.text}")
    location = first.headers["location"]
    if not location.startswith("/consent/"):
        return urljoin(person.base_url, location)
    request_id = location.removeprefix("/consent/")
    decision: dict[str, Any] = {"allow": allow}
    if allow:
        # The person ticks the scopes they allow; by default every scope the partner asked for.
        asked = parse_qs(urlsplit(authorization_url).query).get("scope", [""])[0].split()
        decision["scopes"] = scopes if scopes is not None else asked
    answer = person.post(f"/v1/oauth/requests/{request_id}/decision", decision)
    return answer["redirect_to"]


def revoke_partner(person: Browser, client_id: str) -> None:
    """The person revokes the partner in "Connected services"."""
    person.delete(f"/v1/me/grants/{requests.utils.quote(client_id, safe='')}")
