"""An S3-compatible server for the tests: moto's standalone server (decision 0028), a process
of its own on a loopback port, speaking the S3 protocol over HTTP as a real bucket does."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import boto3

from tests.harness.network import free_port

ACCESS_KEY = "reclamations-test"
SECRET_KEY = "reclamations-test-secret"
REGION = "eu-west-3"


class S3Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, moto's server
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto's server stopped (exit code {self.process.returncode})")
            try:
                self.client().list_buckets()
                return
            except Exception:  # not listening yet
                time.sleep(0.2)
        raise RuntimeError("moto's server did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self) -> Bucket:
        name = f"reclamations-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return Bucket(self, name)

    def environment(self, bucket: Bucket) -> dict[str, str]:
        """The variables that give an installation this bucket (docs/configuration.md)."""
        return {
            "RECLAMATIONS_S3_BUCKET": bucket.name,
            "RECLAMATIONS_S3_ENDPOINT_URL": self.endpoint,
            "RECLAMATIONS_S3_REGION": REGION,
            "RECLAMATIONS_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "RECLAMATIONS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "RECLAMATIONS_S3_ADDRESSING_STYLE": "path",
        }


@dataclass
class Bucket:
    server: S3Server
    name: str

    def storage_settings(self) -> dict[str, Any]:
        """STORAGES["default"] as config/settings.py makes it from the environment."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.name,
                "endpoint_url": self.server.endpoint,
                "region_name": REGION,
                "location": "",
                "addressing_style": "path",
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
                "max_memory_size": 2 * 1024 * 1024,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
            },
        }

    def names(self) -> list[str]:
        listed = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, content: bytes) -> None:
        self.server.client().put_object(Bucket=self.name, Key=key, Body=content)
