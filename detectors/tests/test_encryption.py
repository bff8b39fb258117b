"""The encrypted camera data is decrypted with seed 003's own code, copied unchanged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from detectors.crypto import DecryptError, decrypt_string, encrypt_string, parse_key


# --- copied from seed 003, "Decryption Implementation" -------------------------------
def decrypt_camera_data(encrypted_payload: str, encryption_key: str) -> dict:
    """
    Decrypt camera data encrypted by Laravel's AES-256-CBC.

    Laravel's encrypt() produces a base64-encoded JSON with:
    - iv: base64-encoded initialization vector
    - value: base64-encoded encrypted data
    - mac: HMAC for integrity verification
    """
    payload = json.loads(base64.b64decode(encrypted_payload))

    iv = base64.b64decode(payload["iv"])
    value = base64.b64decode(payload["value"])

    # Derive key (Laravel uses the raw key from config)
    key = base64.b64decode(encryption_key)

    # Decrypt
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv), backend=default_backend())
    decryptor = cipher.decryptor()
    decrypted_padded = decryptor.update(value) + decryptor.finalize()

    # Remove PKCS7 padding
    unpadder = sym_padding.PKCS7(128).unpadder()
    decrypted = unpadder.update(decrypted_padded) + unpadder.finalize()

    return json.loads(decrypted)


# --------------------------------------------------------------------------------------


def laravel_mac_ok(encrypted_payload: str, key: bytes) -> bool:
    """Laravel's validMac: hash_hmac('sha256', iv . value, key) compared to mac."""
    payload = json.loads(base64.b64decode(encrypted_payload))
    expected = hmac.new(key, (payload["iv"] + payload["value"]).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, payload["mac"])


def key_text(settings) -> str:
    return settings.MODEL_ENCRYPTION_KEY.removeprefix("base64:")


def test_seed_code_decrypts_what_we_encrypt(settings):
    data = {"ip_address": "192.168.1.6", "rtsp_url": "rtsp://u:p@192.168.1.6:554/stream2"}

    token = encrypt_string(json.dumps(data))

    assert decrypt_camera_data(token, key_text(settings)) == data
    assert laravel_mac_ok(token, parse_key(settings.MODEL_ENCRYPTION_KEY))


def test_payload_has_laravels_shape(settings):
    payload = json.loads(base64.b64decode(encrypt_string("x")))

    assert set(payload) == {"iv", "value", "mac", "tag"}
    assert len(base64.b64decode(payload["iv"])) == 16
    assert len(payload["mac"]) == 64 and payload["tag"] == ""


def test_a_fresh_iv_each_time():
    assert encrypt_string("same") != encrypt_string("same")


def test_tampering_is_caught_by_the_mac(settings):
    payload = json.loads(base64.b64decode(encrypt_string('{"a":1}')))
    payload["value"] = base64.b64encode(b"\x00" * 16).decode()
    forged = base64.b64encode(json.dumps(payload).encode()).decode()

    with pytest.raises(DecryptError):
        decrypt_string(forged)
    assert not laravel_mac_ok(forged, parse_key(settings.MODEL_ENCRYPTION_KEY))


def test_a_different_key_does_not_decrypt(settings):
    token = encrypt_string("secret")
    settings.MODEL_ENCRYPTION_KEY = "base64:" + base64.b64encode(b"k" * 32).decode()

    with pytest.raises(DecryptError):
        decrypt_string(token)


@pytest.mark.parametrize("bad", ["base64:" + base64.b64encode(b"short").decode(), "base64:%%%"])
def test_a_key_that_is_not_32_bytes_is_refused(bad):
    with pytest.raises(ValueError):
        parse_key(bad)


def test_known_vector_from_a_fixed_iv(settings, monkeypatch):
    """Byte-for-byte what PHP's openssl_encrypt + Laravel's Encrypter produce for this iv."""
    key = b"0123456789abcdef0123456789abcdef"
    monkeypatch.setattr("detectors.crypto.os.urandom", lambda n: b"\x01" * n)

    payload = json.loads(base64.b64decode(encrypt_string("hello", key)))

    assert payload["iv"] == "AQEBAQEBAQEBAQEBAQEBAQ=="
    cipher = Cipher(algorithms.AES(key), modes.CBC(b"\x01" * 16)).encryptor()
    expected = cipher.update(b"hello" + b"\x0b" * 11) + cipher.finalize()
    assert payload["value"] == base64.b64encode(expected).decode()
    assert (
        payload["mac"]
        == hmac.new(key, (payload["iv"] + payload["value"]).encode(), hashlib.sha256).hexdigest()
    )
