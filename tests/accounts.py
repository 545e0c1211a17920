"""Logging a test client in as an account that has passed every step of the login: its second
factor entered (a confirmed TOTP key, recorded in the session as django-otp does), its password
its own. The production rules are unchanged: only the test's session is made so."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclamations.core.accounts import two_factor_required
from reclamations.core.models import User


def totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The code the person's app shows at this moment (the clock may be frozen)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verified_login(client: Client, user: User) -> Client:
    """force_login, then the second factor entered when the account has or needs one."""
    client.force_login(user)
    if two_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client
