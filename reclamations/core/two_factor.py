"""Two-factor authentication: an authenticator app's time-based codes (TOTP, RFC 6238, through
django-otp) and ten single-use recovery codes, stored as SHA-256 and shown once (decision 0019).
"""

import hashlib
import secrets
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclamations.core.built_sql import BuiltStatements, number
from reclamations.core.models import RecoveryCode, User

DEVICE_NAME = "Application d'authentification"
RECOVERY_CODE_COUNT = 10
# 16 characters of 32 (no I, O, 0 or 1 to misread): 80 bits each, beyond any guessing, so a
# plain SHA-256 is enough to keep them, as for API tokens.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 16

WRONG_CODE = (
    "Code incorrect. Saisissez les 6 chiffres affichés maintenant par votre application "
    "(ils changent toutes les 30 secondes), ou un code de secours."
)
WRONG_ENROLMENT_CODE = (
    "Code incorrect. Saisissez les 6 chiffres affichés maintenant par l'application où vous "
    "avez ajouté ce compte ; vérifiez que l'heure du téléphone est juste."
)


class TwoFactorError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Verified:
    device: TOTPDevice
    by_recovery_code: bool
    recovery_codes_left: int


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# Read on every page of an account without a verified second factor: compiled once.
_CONFIRMED_DEVICE = BuiltStatements(
    lambda values: TOTPDevice.objects.filter(
        user_id=number(values, "user"), confirmed=True
    ).values_list("pk")[:1],
    samples={"user": -7_654_321},
)


def is_enrolled(user: User) -> bool:
    return bool(_CONFIRMED_DEVICE.rows({"user": user.pk}))


def enrolment_device(user: User) -> TOTPDevice:
    """The key being set up: the same one until it is confirmed, so that reloading the page
    keeps the QR code the person may have scanned already."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it when typed by hand: base 32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, drawn here (no outside service sees the key)."""
    code = segno.make(device.config_url, error="m")
    return str(
        code.svg_inline(
            scale=5,
            light="#fff",
            dark="#000",
            title=gettext("Code QR à scanner avec l'application"),
        )
    )


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def recovery_codes_make(user: User) -> list[str]:
    """Ten new codes; the previous ones stop working."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    now = timezone.now()
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_digest(_normalised(code)), created_at=now)
            for code in codes
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _throttled_message(device: TOTPDevice) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        locked_until = data.get("locked_until")
        if locked_until is not None:
            seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
            return (
                f"Trop de codes incorrects : attendez {seconds} seconde"
                f"{'s' if seconds > 1 else ''} avant de réessayer."
            )
    return "Trop de codes incorrects : attendez un instant avant de réessayer."


def enrolment_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the key with a first code from the app; return the recovery codes (shown once).
    Any other key of the account stops working."""
    message = _throttled_message(device)
    if message:
        raise TwoFactorError(message)
    if not device.verify_token(_normalised(code)):
        raise TwoFactorError(WRONG_ENROLMENT_CODE)
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_make(device.user)


def second_factor_verify(*, user: User, code: str) -> Verified:
    """Check a code from the app or a recovery code (used up by this). Wrong codes count
    against the key's throttling (django-otp doubles the wait after each)."""
    device = confirmed_device(user)
    if device is None:
        raise TwoFactorError("La double authentification n'est pas activée pour ce compte.")
    message = _throttled_message(device)
    if message:
        raise TwoFactorError(message)
    given = _normalised(code)
    if given.isdigit() and len(given) == device.digits:
        if device.verify_token(given):
            return Verified(device, False, recovery_codes_left(user))
        raise TwoFactorError(WRONG_CODE)
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_digest(given), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used != 1:
        device.throttle_increment(commit=True)
        raise TwoFactorError(WRONG_CODE)
    device.throttle_reset(commit=True)
    return Verified(device, True, recovery_codes_left(user))


def two_factor_disable(user: User) -> None:
    """Remove the key and the recovery codes (the owner's choice, or an administrator's reset)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
