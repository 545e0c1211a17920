"""Two-factor authentication: the key's enrolment, codes from the app, recovery codes."""

import hashlib
import re
from datetime import timedelta

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclamations.core.models import RecoveryCode
from reclamations.core.two_factor import (
    WRONG_CODE,
    WRONG_ENROLMENT_CODE,
    TwoFactorError,
    enrolment_confirm,
    enrolment_device,
    is_enrolled,
    qr_svg,
    recovery_codes_left,
    recovery_codes_make,
    second_factor_verify,
    secret_text,
    two_factor_disable,
)
from tests.accounts import code_now

pytestmark = pytest.mark.usefixtures("clock")


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = enrolment_device(user)
    return device, enrolment_confirm(device=device, code=code_now(device))


def test_enrolment_keeps_one_key_until_it_is_confirmed(manager):
    first = enrolment_device(manager)

    assert enrolment_device(manager) == first
    assert first.confirmed is False
    assert is_enrolled(manager) is False


def test_enrolment_shows_the_key_as_text_and_as_a_local_svg_qr_code(manager):
    device = enrolment_device(manager)

    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret_text(device))
    svg = qr_svg(device)
    assert svg.startswith("<svg ")
    assert "<title>Code QR à scanner avec l'application</title>" in svg
    assert "http" not in svg


def test_enrolment_confirmed_by_the_apps_code_gives_ten_recovery_codes(manager):
    device, codes = _enrolled(manager)

    device.refresh_from_db()
    assert device.confirmed is True
    assert is_enrolled(manager) is True
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}", code) for code in codes)
    stored = set(RecoveryCode.objects.filter(user=manager).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}


def test_enrolment_with_a_wrong_code_is_refused(manager):
    device = enrolment_device(manager)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"

    with pytest.raises(TwoFactorError) as raised:
        enrolment_confirm(device=device, code=wrong)

    assert raised.value.message == WRONG_ENROLMENT_CODE
    assert is_enrolled(manager) is False


def test_a_new_phone_replaces_the_old_key_once_confirmed(manager):
    old, _ = _enrolled(manager)
    new = enrolment_device(manager)

    assert new != old
    enrolment_confirm(device=new, code=code_now(new))

    assert list(TOTPDevice.objects.filter(user=manager)) == [new]


def test_second_factor_accepts_the_apps_code_once(manager, clock):
    device, _ = _enrolled(manager)
    clock.shift(timedelta(seconds=30))
    code = code_now(device)

    assert second_factor_verify(user=manager, code=code).by_recovery_code is False
    with pytest.raises(TwoFactorError):
        second_factor_verify(user=manager, code=code)  # the same code is never taken twice


def test_a_recovery_code_works_once_whatever_its_case_and_dashes(manager):
    _, codes = _enrolled(manager)

    verified = second_factor_verify(user=manager, code=codes[3].replace("-", " ").lower())

    assert (verified.by_recovery_code, verified.recovery_codes_left) == (True, 9)
    with pytest.raises(TwoFactorError) as raised:
        second_factor_verify(user=manager, code=codes[3])
    assert raised.value.message == WRONG_CODE
    assert recovery_codes_left(manager) == 9


def test_wrong_codes_make_the_next_attempt_wait(manager):
    _enrolled(manager)

    with pytest.raises(TwoFactorError):
        second_factor_verify(user=manager, code="AAAA-AAAA-AAAA-AAAA")
    with pytest.raises(TwoFactorError) as raised:
        second_factor_verify(user=manager, code="000000")

    assert raised.value.message == (
        "Trop de codes incorrects : attendez 2 secondes avant de réessayer."
    )


def test_new_recovery_codes_replace_the_old_ones(manager, clock):
    _, old = _enrolled(manager)

    new = recovery_codes_make(manager)

    assert set(new).isdisjoint(old)
    with pytest.raises(TwoFactorError):
        second_factor_verify(user=manager, code=old[0])
    clock.shift(timedelta(seconds=2))  # past the wait that wrong code started
    assert second_factor_verify(user=manager, code=new[0]).recovery_codes_left == 9


def test_disable_removes_the_key_and_the_codes(manager):
    _enrolled(manager)

    two_factor_disable(manager)

    assert is_enrolled(manager) is False
    assert not RecoveryCode.objects.filter(user=manager).exists()
