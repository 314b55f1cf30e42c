"""``--storage-option KEY=VALUE`` on every command that opens locations, and the environment
variables that docs/cli.md says configure S3 (``FSSPEC_S3_ENDPOINT_URL``,
``AWS_ENDPOINT_URL``), against moto's S3 server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from servers import MotoS3
from servers import moto_s3

from imsg_core.cli import build_cli
from imsg_core.cli.common import parse_storage_options

pytestmark = pytest.mark.remote


@pytest.fixture(scope="module")
def s3() -> Iterator[MotoS3]:
    with moto_s3() as srv:
        yield srv


@pytest.fixture(scope="module")
def bucket(s3: MotoS3, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A bucket holding demo.msg and demo2.msg."""
    path = tmp_path_factory.mktemp("demo") / "demo.msg"
    res = CliRunner().invoke(build_cli(plugins=False), ["demo", "--out", str(path)])
    assert res.exit_code == 0, res.output
    name = s3.new_bucket()
    fs = s3.fs()
    fs.put(str(path), f"{name}/mail/demo.msg")
    fs.put(str(path), f"{name}/mail/demo2.msg")
    return name


def _option_args(s3: MotoS3) -> list[str]:
    return [
        "--storage-option",
        "key=testing",
        "--storage-option",
        "secret=testing",
        "--storage-option",
        "client_kwargs=" + json.dumps({"endpoint_url": s3.endpoint}),
    ]


def run(*args: str) -> Any:
    return CliRunner().invoke(build_cli(plugins=False), list(args), catch_exceptions=False)


def test_values_are_json_when_they_parse_else_strings() -> None:
    got = parse_storage_options(
        None,
        None,
        [
            "anon=true",
            "profile=archive",
            "block_size=5",
            'client_kwargs={"endpoint_url": "http://127.0.0.1:9000"}',
            "token=a=b",
            "empty=",
        ],
    )
    assert got == {
        "anon": True,
        "profile": "archive",
        "block_size": 5,
        "client_kwargs": {"endpoint_url": "http://127.0.0.1:9000"},
        "token": "a=b",
        "empty": "",
    }
    for bad in ("novalue", "=x"):
        with pytest.raises(click.BadParameter):
            parse_storage_options(None, None, [bad])


def test_every_command_that_opens_locations_takes_storage_options() -> None:
    cli = build_cli(plugins=False)
    for name in ("info", "props", "tree", "attachments", "convert", "export"):
        opts = {o for p in cli.commands[name].params for o in getattr(p, "opts", [])}
        assert "--storage-option" in opts, name


def test_storage_options_reach_s3_on_every_command(s3: MotoS3, bucket: str, tmp_path: Path) -> None:
    url = f"s3://{bucket}/mail/demo.msg"
    opts = _option_args(s3)
    res = run("info", url, *opts)
    assert res.exit_code == 0, res.stderr
    assert "Hello from imsg-core" in res.stdout
    doc = json.loads(run("info", "--json", f"s3://{bucket}/mail/*.msg", *opts).stdout)
    assert len(doc) == 2  # the glob was listed with the options too
    assert run("props", url, *opts).exit_code == 0
    assert "__properties_version1.0" in run("tree", url, *opts).stdout
    assert "notes.txt" in run("attachments", url, *opts).stdout
    eml = tmp_path / "demo.eml"
    assert run("convert", url, str(eml), *opts).exit_code == 0
    assert b"Hello from imsg-core" in eml.read_bytes()
    back = f"s3://{bucket}/out/demo.msg"
    assert run("convert", str(eml), back, *opts).exit_code == 0
    out = f"s3://{bucket}/out/records.jsonl"
    res = run("export", f"s3://{bucket}/mail/*.msg", "--to", out, "--no-progress", *opts)
    assert res.exit_code == 0, res.stderr
    with s3.fs().open(f"{bucket}/out/records.jsonl", "rt") as fh:
        recs = [json.loads(line) for line in fh]
    assert [r["subject"] for r in recs] == ["Hello from imsg-core"] * 2
    assert "An embedded message" in run("info", back, *opts).stdout


def test_storage_options_do_not_disturb_local_paths(tmp_path: Path) -> None:
    path = tmp_path / "demo.msg"
    assert run("demo", "--out", str(path)).exit_code == 0
    res = run("info", str(path), "--storage-option", "anon=true")
    assert res.exit_code == 0, res.stderr


def _imsg_with_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "FSSPEC_")) and k != "IMSG_DEBUG"
    }
    full = {
        **base,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONIOENCODING": "utf-8",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "imsg_core.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full,
        check=False,
    )


@pytest.mark.parametrize("variable", ["FSSPEC_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL"])
def test_documented_environment_variables_set_the_s3_endpoint(
    s3: MotoS3, bucket: str, variable: str
) -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text("utf-8")
    assert f"`{variable}=" in docs
    proc = _imsg_with_env({variable: s3.endpoint}, "info", f"s3://{bucket}/mail/demo.msg")
    assert proc.returncode == 0, proc.stderr
    assert "Hello from imsg-core" in proc.stdout
