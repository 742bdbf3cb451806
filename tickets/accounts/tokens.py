"""Signed bearer tokens: no database read on the hot path, expiry inside the token.

A token names its user's token generation (``g``, raised to revoke every token of a user) and
an id of its own (``j``, listed to revoke this one token); ``active.py`` checks both.
"""

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tickets.enums import Role
from tickets.errors import Unauthenticated
from tickets.principal import Principal


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: who, which login, and until when."""

    principal: Principal
    token_id: str
    generation: int
    expires_at: datetime


@dataclass(frozen=True)
class TokenSigner:
    """Issues and checks tokens signed with the deployment's secret."""

    secret: bytes
    ttl: timedelta = timedelta(hours=12)

    def issue(self, principal: Principal, now: datetime,
              generation: int = 0) -> tuple[str, datetime]:
        """A token for ``principal`` (of its user's token ``generation``) and its expiry."""
        expires = now + self.ttl
        payload = {
            "u": principal.user_id, "n": principal.username, "r": principal.role.value,
            "unit": principal.unit_id, "exp": int(expires.timestamp()),
            "j": secrets.token_hex(8), "g": generation,
        }
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}", expires

    def verify(self, token: str, now: datetime) -> Principal:
        """The principal a valid, unexpired token names, or :class:`Unauthenticated`."""
        return self.read(token, now).principal

    def read(self, token: str, now: datetime) -> TokenClaims:
        """Everything a valid, unexpired token says, or :class:`Unauthenticated`."""
        if not token.isascii():  # compare_digest refuses non-ASCII text: a 401, not a 500
            raise Unauthenticated("invalid token: a token is ASCII")
        body, _, signature = token.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            raise Unauthenticated("invalid token")
        try:
            payload = json.loads(_unb64(body))
            if payload["exp"] < now.timestamp():
                raise Unauthenticated("token expired; log in again")
            principal = Principal(
                user_id=int(payload["u"]), username=str(payload["n"]),
                role=Role(payload["r"]), unit_id=payload["unit"],
            )
            expires = datetime.fromtimestamp(int(payload["exp"]), tz=UTC)
            # tokens from before revocation existed carry no generation: the first one, 0
            return TokenClaims(principal, str(payload["j"]), int(payload.get("g", 0)), expires)
        except (KeyError, TypeError, ValueError) as exc:
            raise Unauthenticated("invalid token") from exc

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self.secret, body.encode(), hashlib.sha256).digest()[:24])
