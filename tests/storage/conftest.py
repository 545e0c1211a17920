"""Stored files in an S3-compatible bucket: moto's standalone server for the session, a new
bucket for each test, and the register of the subject-access tests built inside it."""

from collections.abc import Iterator

import pytest

from tests.harness.s3 import Bucket, S3Server
from tests.privacy.conftest import subject_register

__all__ = ["subject_register"]  # the privacy tests' register, built here in the bucket


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = S3Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server, settings) -> Bucket:
    """A new, empty bucket, where this test's installation stores its files."""
    created = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": created.storage_settings()}
    return created


@pytest.fixture
def stored_register(bucket, subject_register):
    """Julie Martin's complaint and the rest (tests/privacy/conftest.py), every file of it
    written to the bucket: her e-mail with its PDF, a letter, the reply and its enclosure."""
    return subject_register
