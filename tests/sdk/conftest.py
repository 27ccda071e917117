"""Starts `dynaplay serve` on a free loopback port for the SDK tests.

The binary comes from $DYNAPLAY_BIN (set by `cargo xtask test`), else target/debug.
"""
import contextlib
import os
import pathlib
import re
import subprocess
import uuid

import boto3
import pytest
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def s3_dir(tmp_path_factory):
    """The directory `dynaplay serve --s3-dir` keeps its buckets in."""
    return tmp_path_factory.mktemp("s3")


@contextlib.contextmanager
def serve(*options):
    """`dynaplay serve` on a free loopback port with `options`; yields its endpoint."""
    binary = os.environ.get("DYNAPLAY_BIN", str(ROOT / "target" / "debug" / "dynaplay"))
    proc = subprocess.Popen([binary, "serve", "--port", "0", *options], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, f"dynaplay serve printed {line!r}"
        yield match.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def endpoint(s3_dir):
    # No 5-minute wait before a point-in-time restore can reach the latest writes.
    with serve("--pitr-lag-ms", "0", "--s3-dir", str(s3_dir)) as url:
        yield url


def service(name, endpoint, attempts=None, mode="standard"):
    """A boto3 client of `name` aimed at `dynaplay serve`; with `attempts`, botocore's
    retries in `mode` make at most that many attempts (1: the raw errors show)."""
    config = Config(retries={"max_attempts": attempts, "mode": mode}) if attempts else None
    return boto3.client(
        name,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="any",
        config=config,
    )


@pytest.fixture(scope="session")
def client(endpoint):
    return service("dynamodb", endpoint)


@pytest.fixture(scope="session")
def streams(endpoint):
    return service("dynamodbstreams", endpoint)


@pytest.fixture
def table_name():
    return "t-" + uuid.uuid4().hex[:12]
