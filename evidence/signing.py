"""The installation's Ed25519 key: it signs a bundle's manifest, and only its public half leaves.

Ed25519 rather than an HMAC: whoever receives a bundle (the police, a court) can check it
with the public key the facility gives them, without holding anything that could forge one.
EVIDENCE_SIGNING_KEY is the base64 of the 32-byte private seed; development derives one
from SECRET_KEY. The private key is never written to a log, an answer or a bundle.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class PublicKey:
    raw: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:16]

    @property
    def encoded(self) -> str:
        return base64.b64encode(self.raw).decode()

    def verifies(self, signature: str, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(base64.b64decode(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True


def _private_key() -> Ed25519PrivateKey:
    try:
        seed = base64.b64decode(settings.EVIDENCE_SIGNING_KEY, validate=True)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured("EVIDENCE_SIGNING_KEY must be the base64 of 32 random bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> PublicKey:
    raw = _private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PublicKey(raw)


def sign(message: bytes) -> str:
    return base64.b64encode(_private_key().sign(message)).decode()
