"""Laravel-compatible ``Crypt::encryptString`` (AES-256-CBC) for detector services.

Seed 003's clients decrypt ``encrypted_data`` with ``decrypt_camera_data``: base64 of the
JSON ``{"iv", "value", "mac", "tag"}`` where ``value`` is the base64 ciphertext (PKCS7)
and ``mac`` is hex HMAC-SHA256 over ``iv + value`` (both base64 text), keyed with the
raw 32-byte key from ``MODEL_ENCRYPTION_KEY`` (``base64:`` prefix, as Laravel's APP_KEY).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings


class DecryptError(ValueError):
    pass


def parse_key(text: str) -> bytes:
    raw = base64.b64decode(text.removeprefix("base64:"), validate=True)
    if len(raw) != 32:
        raise ValueError("MODEL_ENCRYPTION_KEY must be 32 bytes (base64:...) for AES-256-CBC")
    return raw


def model_key() -> bytes:
    return parse_key(settings.MODEL_ENCRYPTION_KEY)


def _mac(key: bytes, iv_b64: str, value_b64: str) -> str:
    return hmac.new(key, (iv_b64 + value_b64).encode(), hashlib.sha256).hexdigest()


def encrypt_string(plain: str, key: bytes | None = None) -> str:
    key = key or model_key()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    iv_b64 = base64.b64encode(iv).decode()
    value_b64 = base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()
    payload = {"iv": iv_b64, "value": value_b64, "mac": _mac(key, iv_b64, value_b64), "tag": ""}
    # Laravel encodes with JSON_UNESCAPED_SLASHES and no spaces.
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def decrypt_string(payload_b64: str, key: bytes | None = None) -> str:
    """The reverse, with the mac verified first (as Laravel's decryptString does)."""
    key = key or model_key()
    try:
        payload = json.loads(base64.b64decode(payload_b64))
        iv_b64, value_b64 = payload["iv"], payload["value"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DecryptError("The payload is invalid.") from exc
    if not hmac.compare_digest(_mac(key, iv_b64, value_b64), str(payload.get("mac", ""))):
        raise DecryptError("The MAC is invalid.")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(base64.b64decode(iv_b64))).decryptor()
    padded = decryptor.update(base64.b64decode(value_b64)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()


def encrypt_json(data: dict, key: bytes | None = None) -> str:
    return encrypt_string(json.dumps(data, separators=(",", ":")), key)
