"""Snapshots in an S3-compatible bucket through django-storages, against moto's
server mode on a free local port (the production setting of STORAGES)."""

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from articles.checks.running import check_sources
from articles.checks.snapshots import read_text
from tests.checking import html_page
from tests.factories import make_source

pytestmark = pytest.mark.django_db

QUOTE = "The ministry shall supervise the industry."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="snapshots")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "snapshots",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield s3
    server.stop()


def test_snapshots_are_kept_in_the_bucket(bucket, local_site):
    source = make_source("n", url=local_site.serve("/n", html_page(QUOTE)), quote=QUOTE)
    [check] = check_sources([source])
    assert check.quote_status == "verified"
    keys = sorted(item["Key"] for item in bucket.list_objects_v2(Bucket="snapshots")["Contents"])
    assert keys == [
        f"checks/text/{check.content_hash}.txt",
        f"checks/warc/{check.content_hash}.warc.gz",
    ]
    body = bucket.get_object(Bucket="snapshots", Key=keys[0])["Body"].read().decode()
    assert QUOTE in body and QUOTE in read_text(check.snapshot)
    # The same content again is not stored twice.
    [again] = check_sources([source])
    assert again.snapshot_id == check.snapshot_id
    assert bucket.list_objects_v2(Bucket="snapshots")["KeyCount"] == 2


def test_the_bucket_is_configured_from_the_environment():
    from tests.test_security_settings import manage

    script = (
        "from django.core.files.storage import default_storage as s; s._setup(); "
        "print(type(s._wrapped).__name__, s.bucket_name, s.endpoint_url)"
    )
    env = {"SECRET_KEY": "t", "DEBUG": "1", "AWS_STORAGE_BUCKET_NAME": "snaps",
           "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}  # fmt: skip
    result = manage("shell", "--no-imports", "-c", script, **env)
    assert result.stdout.split() == ["S3Storage", "snaps", "http://127.0.0.1:9"], result.stderr
    kind_only = script.replace(", s.bucket_name, s.endpoint_url", "")
    local = manage("shell", "--no-imports", "-c", kind_only, SECRET_KEY="t", DEBUG="1")
    assert local.stdout.split() == ["FileSystemStorage"]
