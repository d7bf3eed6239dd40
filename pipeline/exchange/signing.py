"""Ed25519 keys and signatures for bundles (the ``cryptography`` library).

The signature covers the exact bytes of ``manifest.json``; the manifest holds the sha256 of
every other member, so one signature vouches for the whole bundle. A key is named by its
fingerprint (sha256 of the raw 32-byte public key), which two NGOs can compare by phone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pipeline.errors import SigningKeyError

ALGORITHM = "ed25519"
#: A key file larger than this is not a PEM key: refuse before parsing it.
MAX_KEY_BYTES = 16 * 1024


def public_path(private: Path) -> Path:
    """Where ``keygen`` puts the public half: beside the private key, ``.pub`` appended."""
    return private.with_name(private.name + ".pub")


def fingerprint(key: Ed25519PublicKey) -> str:
    """sha256 of the raw public key, hex: what the output prints and ``manifest.sig`` names."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def generate(private: Path) -> tuple[Path, str]:
    """Write a new private key (mode 0600, never overwriting) and its public key beside it.

    Returns the public key path and the fingerprint.
    """
    private = Path(private)
    public = public_path(private)
    for path in (private, public):
        if path.exists() or path.is_symlink():
            raise SigningKeyError(f"{path}: already exists; not overwriting a key")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        # O_EXCL + mode at creation: the private key is never readable by others, not even
        # for the instant a chmod after the write would leave open.
        fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        fd = os.open(public, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pub)
    except OSError as exc:
        raise SigningKeyError(f"{private}: cannot write key ({exc.strerror or exc})") from exc
    return public, fingerprint(key.public_key())


def _read(path: Path, what: str) -> bytes:
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read {what} ({exc.strerror or exc})") from exc
    if len(data) > MAX_KEY_BYTES:
        raise SigningKeyError(f"{path}: not a {what} (file too large)")
    return data


def load_private(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file written by ``precedents keygen``."""
    try:
        key = serialization.load_pem_private_key(_read(path, "private key"), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path}: not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 private key")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file (the ``.pub`` file ``keygen`` wrote)."""
    try:
        key = serialization.load_pem_public_key(_read(path, "public key"))
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path}: not a PEM public key (give the .pub file)") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path}: not an Ed25519 public key")
    return key


def sign(manifest: bytes, key: Ed25519PrivateKey) -> bytes:
    """The ``manifest.sig`` member: a small JSON naming the algorithm, key and signature."""
    return json.dumps({
        "algorithm": ALGORITHM,
        "key": fingerprint(key.public_key()),
        "public_key": base64.b64encode(key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode("ascii"),
        "signature": base64.b64encode(key.sign(manifest)).decode("ascii"),
    }, indent=2).encode("utf-8") + b"\n"


def verify(manifest: bytes, signature_member: bytes,
           key: Ed25519PublicKey | None = None) -> tuple[str | None, str | None]:
    """Check ``manifest.sig`` against ``manifest``: returns (signer fingerprint, problem).

    With ``key`` (``--trust``) the signature must be that key's. Without it, the signature is
    checked against the public key it carries: that proves only that the manifest is unchanged
    since someone signed it, and names who; whether to trust that someone is the user's call.
    """
    try:
        data = json.loads(signature_member)
        if not isinstance(data, dict) or data.get("algorithm") != ALGORITHM:
            return None, "signature is not an Ed25519 signature"
        raw = base64.b64decode(str(data.get("signature", "")), validate=True)
        carried = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(str(data.get("public_key", "")), validate=True))
    except (ValueError, UnicodeDecodeError):
        return None, "signature file is malformed"
    signer = fingerprint(carried)
    if key is not None and signer != fingerprint(key):
        return signer, (f"signed by key {signer[:16]}..., not by the trusted key "
                        f"{fingerprint(key)[:16]}...")
    try:
        (key or carried).verify(raw, manifest)
    except InvalidSignature:
        return signer, "signature does not verify (the manifest was changed after signing)"
    return signer, None
