"""modelmaint.serving: request validation (422, never 500), the request log, and a
background server that stops cleanly."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from modelmaint._validation import InputTypeError
from modelmaint.monitor import latency_stats
from modelmaint.serving import (
    MAX_ROWS,
    make_app,
    read_request_log,
    serve_in_background,
)

W = np.array([[1.0, -1.0, 0.0], [0.5, 0.0, -0.5], [0.0, 2.0, 1.0], [-1.0, 0.0, 1.0]])


def softmax_model(x: np.ndarray) -> np.ndarray:
    z = x @ W
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "requests.jsonl"


@pytest.fixture
def client(log: Path) -> TestClient:
    app = make_app(
        softmax_model, n_features=4, log_path=log, model_version="7",
        feature_names=["a", "b", "c", "d"],
    )  # fmt: skip
    return TestClient(app, raise_server_exceptions=False)


def test_health(client) -> None:
    assert client.get("/health").json() == {"status": "ok", "model_version": "7"}


def test_predictions_match_the_model(client) -> None:
    rows = np.random.default_rng(0).normal(size=(5, 4))
    body = client.post("/predict", json={"instances": rows.tolist()}).json()
    expected = softmax_model(rows.astype(np.float32))
    assert body["model_version"] == "7"
    assert body["predictions"] == expected.argmax(axis=1).tolist()
    np.testing.assert_allclose(body["probabilities"], expected, rtol=1e-6)
    np.testing.assert_allclose(np.sum(body["probabilities"], axis=1), 1.0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "Field required"),
        ({"instances": []}, "at least 1 item"),
        ({"instances": [[1, 2, 3]]}, "row 0 has 3 features; the model needs 4"),
        ({"instances": [[1, 2, 3, 4], [1, 2, 3, 4, 5]]}, "row 1 has 5 features"),
        ({"instances": [["1", 2, 3, 4]]}, "Input should be a valid number"),
        ({"instances": [[None, 2, 3, 4]]}, "Input should be a valid number"),
        ({"instances": [[1, 2, 3, 4]] * (MAX_ROWS + 1)}, "at most 1000 items"),
        ({"instances": [[1, 2, 3, 4]], "extra": 1}, "Extra inputs are not permitted"),
        ({"instances": [[1, 2, 1e39, 4]]}, "row 0 feature 2 is too large for float32"),
    ],
)
def test_malformed_requests_get_422_with_a_reason(
    client, log, payload, message
) -> None:
    response = client.post("/predict", json=payload)
    assert response.status_code == 422, response.text
    assert message in response.text
    assert not log.exists()  # nothing reached the model, nothing logged


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_get_422(client, token) -> None:
    body = f'{{"instances": [[{token}, 1, 2, 3]]}}'  # not JSON, yet Python reads it
    response = client.post(
        "/predict", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "finite number" in response.text


def test_not_json_gets_422(client) -> None:
    response = client.post(
        "/predict", content="instances=1", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_a_failing_model_gives_500_and_the_server_goes_on(log) -> None:
    calls = []

    def flaky(x):
        calls.append(len(x))
        if len(calls) == 1:
            raise RuntimeError("boom")
        return softmax_model(x)

    client = TestClient(make_app(flaky, n_features=4), raise_server_exceptions=False)
    first = client.post("/predict", json={"instances": [[0, 0, 0, 0]]})
    assert first.status_code == 500 and "model error: RuntimeError" in first.text
    assert (
        client.post("/predict", json={"instances": [[0, 0, 0, 0]]}).status_code == 200
    )


def test_the_log_has_one_line_per_row(client, log) -> None:
    client.post("/predict", json={"instances": [[1, 2, 3, 4], [0, 0, 1, 0]]})
    client.post("/predict", json={"instances": [[5, 6, 7, 8]]})
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["row"] for r in records] == [0, 1, 0]
    assert {r["batch_size"] for r in records[:2]} == {2} and records[2][
        "batch_size"
    ] == 1
    assert (
        records[0]["request_id"] == records[1]["request_id"] != records[2]["request_id"]
    )
    assert records[0]["features"] == {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}
    table = read_request_log(log)
    assert list(table.columns[-4:]) == ["a", "b", "c", "d"]
    assert str(table["time"].dt.tz) == "UTC"
    assert table["latency_ms"].gt(0).all()
    expected = softmax_model(np.array([[1, 2, 3, 4], [0, 0, 1, 0], [5, 6, 7, 8]], "f4"))
    assert table["prediction"].tolist() == expected.argmax(axis=1).tolist()
    np.testing.assert_allclose(table["probability"], expected.max(axis=1), rtol=1e-6)
    per_request = table.groupby("request_id", sort=False)["latency_ms"].first()
    assert (
        latency_stats(per_request).n_calls == 2
    )  # the monitor of notebook 03 reads it


def test_concurrent_requests_never_interleave_log_lines(client, log) -> None:
    def send(k: int) -> int:
        rows = [[k, 1, 2, 3]] * 3
        return client.post("/predict", json={"instances": rows}).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(send, range(160)))
    assert codes == [200] * 160
    table = read_request_log(log)  # every line parses
    assert len(table) == 480
    assert table.groupby("request_id").size().eq(3).all()
    assert table.groupby("request_id")["a"].nunique().eq(1).all()


def test_background_server_answers_and_stops(log) -> None:
    app = make_app(softmax_model, n_features=4, log_path=log)
    handle = serve_in_background(app)
    with httpx.Client(base_url=handle.url, trust_env=False) as http:
        assert http.get("/health").status_code == 200
        reply = http.post("/predict", json={"instances": [[1, 2, 3, 4]]})
        assert reply.status_code == 200
        assert http.post("/predict", json={"instances": [[1]]}).status_code == 422
    handle.stop()
    assert not handle.thread.is_alive()
    assert "modelmaint-server" not in [t.name for t in threading.enumerate()]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", handle.port)) != 0
    assert len(pd.read_json(log, lines=True)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_features": 0}, "n_features must be"),
        ({"n_features": 2, "feature_names": ["a"]}, "feature_names must be 2 distinct"),
        ({"n_features": 2, "feature_names": ["a", "a"]}, "feature_names must be 2"),
        ({"n_features": 2, "log_path": "/no/such/folder/x.jsonl"}, "log_path: folder"),
    ],
)
def test_bad_arguments(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        make_app(softmax_model, **kwargs)


def test_bad_model_and_log(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="predict_proba must be callable"):
        make_app("model.tflite", n_features=2)
    with pytest.raises(ValueError, match="path: no request log"):
        read_request_log(tmp_path / "missing.jsonl")
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(ValueError, match="is empty"):
        read_request_log(tmp_path / "empty.jsonl")


# --- the model's answer is checked before it is served or logged -------------------

ROW = {"instances": [[1.0, 2.0, 3.0, 4.0]]}


@pytest.mark.parametrize(
    "answer",
    [
        lambda x: np.full((len(x), 3), np.nan),  # NaN: was 200, null, prediction 0
        lambda x: np.full((len(x), 3), np.inf),
        lambda x: np.full((len(x) + 1, 2), 0.5),  # an extra row: was 200
        lambda x: np.full((0, 2), 0.5),  # too few rows
        lambda x: np.full(len(x), 0.5),  # 1-D
        lambda x: np.full((len(x), 2, 1), 0.5),  # 3-D
        lambda x: np.full((len(x), 0), 0.5),  # no class
        lambda x: np.tile([1.5, -0.5], (len(x), 1)),  # sums to 1, outside [0, 1]
        lambda x: np.full((len(x), 2), 0.9),  # rows sum to 1.8
        lambda x: np.full((len(x), 1), 1.2),  # one column, > 1
        lambda x: [["a", "b"]] * len(x),  # not numbers
        lambda x: None,
        lambda x: [[0.5, 0.5], [0.5]],  # ragged
    ],
)
def test_a_bad_answer_gives_500_model_error_and_logs_nothing(log, answer) -> None:
    app = make_app(answer, n_features=4, log_path=log)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/predict", json=ROW)
    assert response.status_code == 500
    assert response.json() == {"detail": "model error"}  # no traceback, no input
    assert not log.exists()


def test_answers_within_the_tolerance_are_served(log) -> None:
    rng = np.random.default_rng(0)

    def float32_softmax(x):  # 1000 classes in float32: rows sum to 1 +- ~5e-7
        z = rng.normal(scale=5, size=(len(x), 1000)).astype(np.float32)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)

    client = TestClient(make_app(float32_softmax, n_features=4, log_path=log))
    assert (
        client.post("/predict", json={"instances": [[0] * 4] * 50}).status_code == 200
    )
    one_column = TestClient(make_app(lambda x: np.full((len(x), 1), 0.3), n_features=4))
    assert one_column.post("/predict", json=ROW).json()["probabilities"] == [[0.3]]

    def quantized(x):  # int8 outputs: steps of 1/256, rows sum to 1 +- 0.004
        return np.tile([0.25, 0.7421875], (len(x), 1))

    strict = TestClient(
        make_app(quantized, n_features=4), raise_server_exceptions=False
    )
    assert strict.post("/predict", json=ROW).status_code == 500
    loose = TestClient(make_app(quantized, n_features=4, sum_tol=0.01))
    assert loose.post("/predict", json=ROW).json()["predictions"] == [1]


# --- request bodies over max_body_bytes get 413, read or not -----------------------


class CountingModel:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.calls += 1
        return softmax_model(x)


def _body(n_rows: int) -> bytes:
    return json.dumps({"instances": [[0.25, 0.5, 0.75, 1.0]] * n_rows}).encode()


JSON = {"content-type": "application/json"}


def test_the_default_limit_refuses_a_12_mb_body(log) -> None:
    model = CountingModel()
    client = TestClient(make_app(model, n_features=4, log_path=log))
    big = b'{"instances": [' + b", ".join([b"[0.1, 0.2, 0.3, 0.4]"] * 600_000) + b"]}"
    assert len(big) > 12 * 2**20
    response = client.post("/predict", content=big, headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"detail": "request body larger than 1048576 bytes"}
    assert model.calls == 0 and not log.exists()


@pytest.mark.parametrize("how", ["content-length", "chunked", "lying content-length"])
def test_a_body_over_the_limit_gets_413(log, how) -> None:
    model = CountingModel()
    app = make_app(model, n_features=4, log_path=log, max_body_bytes=10_000)
    client = TestClient(app, raise_server_exceptions=False)
    body = _body(500)  # 14 kB
    if how == "content-length":
        response = client.post("/predict", content=body, headers=JSON)
    elif how == "chunked":  # no Content-Length: counted while it streams in
        chunks = (body[i : i + 1000] for i in range(0, len(body), 1000))
        response = client.post("/predict", content=chunks, headers=JSON)
    else:
        headers = {**JSON, "content-length": "100"}
        response = client.post("/predict", content=body, headers=headers)
    assert response.status_code == 413, response.text
    assert "request body larger than 10000 bytes" in response.text
    assert model.calls == 0 and not log.exists()
    small = _body(300)  # 8.4 kB: under the limit, also when chunked
    assert client.post("/predict", content=small, headers=JSON).status_code == 200
    chunks = (small[i : i + 1000] for i in range(0, len(small), 1000))
    assert client.post("/predict", content=chunks, headers=JSON).status_code == 200


def test_the_limit_holds_on_a_real_server() -> None:
    model = CountingModel()
    app = make_app(model, n_features=4, max_body_bytes=50_000)
    body = _body(4000)  # 112 kB
    with (
        serve_in_background(app) as server,
        httpx.Client(base_url=server.url, trust_env=False) as http,
    ):
        declared = http.post("/predict", content=body, headers=JSON)
        chunks = (body[i : i + 8192] for i in range(0, len(body), 8192))
        streamed = http.post("/predict", content=chunks, headers=JSON)
        assert (declared.status_code, streamed.status_code) == (413, 413)
        assert model.calls == 0
        assert http.post("/predict", json=ROW).status_code == 200  # it goes on


# --- arguments checked when the app or the server is made --------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"model_version": 3}, TypeError, "model_version must be a str; got 3"),
        ({"model_version": " "}, ValueError, "model_version must be a non-empty"),
        ({"feature_names": "abcd"}, TypeError, "feature_names must be a sequence"),
        ({"feature_names": [1, 2, 3, 4]}, ValueError, "feature_names must be 4"),
        (
            {"feature_names": ["a", "b", "time", "row"]},
            ValueError,
            "feature_names must not reuse the log's columns",
        ),
        ({"max_body_bytes": 0}, ValueError, "max_body_bytes must be an integer >= 1"),
        ({"log_path": "x.jsonl", "log_max_bytes": 0}, ValueError, "log_max_bytes"),
        ({"log_path": "x.jsonl", "log_backups": -1}, ValueError, "log_backups"),
        ({"sum_tol": 0}, ValueError, "sum_tol must be > 0"),
        ({"log_path": ""}, ValueError, "log_path must be a file path; got ''"),
        ({"log_path": 3}, TypeError, "log_path must be a path"),
    ],
)
def test_bad_arguments_fail_at_make_app(tmp_path, kwargs, error, message) -> None:
    kwargs = {
        k: tmp_path / v if k == "log_path" and v == "x.jsonl" else v
        for k, v in kwargs.items()
    }
    with pytest.raises(error, match=message):
        make_app(softmax_model, n_features=4, **kwargs)


def test_a_log_path_that_cannot_be_written_fails_at_make_app(tmp_path) -> None:
    with pytest.raises(ValueError, match="log_path must be a file path; .* directory"):
        make_app(softmax_model, n_features=4, log_path=tmp_path)  # was 500 per request
    (tmp_path / "requests.jsonl.2").mkdir()  # rotation would fail later
    with pytest.raises(ValueError, match=r"requests\.jsonl\.2' is a directory"):
        make_app(softmax_model, n_features=4, log_path=tmp_path / "requests.jsonl")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ValueError, match="log_path .* cannot be opened"):
            make_app(softmax_model, n_features=4, log_path=locked / "x.jsonl")


def test_openapi_is_served_and_the_cdn_pages_are_off(client) -> None:
    assert client.get("/docs").status_code == 404  # Swagger UI needs a CDN
    assert client.get("/redoc").status_code == 404
    spec = client.get("/openapi.json").json()
    assert spec["info"]["version"] == "7" and "/predict" in spec["paths"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"host": None}, TypeError, "host must be a non-empty string"),
        ({"host": ""}, ValueError, "host must be a non-empty string"),
        ({"host": "0.0.0.0"}, ValueError, "host must be a loopback address"),
        ({"host": "192.168.1.10"}, ValueError, "allow_remote=True; got '192.168"),
        ({"host": "example.org"}, ValueError, "host must be a loopback address"),
        ({"allow_remote": "yes"}, TypeError, "allow_remote must be True or False"),
        ({"port": 70000}, ValueError, "port must be an integer in"),
        ({"timeout": 0}, ValueError, "timeout must be > 0"),
    ],
)
def test_serve_in_background_refuses_bad_hosts(kwargs, error, message) -> None:
    app = make_app(softmax_model, n_features=4)
    with pytest.raises(error, match=message):
        serve_in_background(app, **kwargs)
    assert "modelmaint-server" not in [t.name for t in threading.enumerate()]


@pytest.mark.parametrize(
    ("host", "url"), [("localhost", "localhost"), ("::1", "[::1]")]
)
def test_other_loopback_hosts(host, url) -> None:
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6")
    app = make_app(softmax_model, n_features=4)
    with serve_in_background(app, host=host) as server:
        assert server.url == f"http://{url}:{server.port}"
        with httpx.Client(base_url=server.url, trust_env=False) as http:
            assert http.get("/health").status_code == 200
    assert not server.thread.is_alive()


# --- the log rotates by size; lines never interleave ------------------------------


def test_the_log_rotates_and_keeps_log_backups_files(log) -> None:
    app = make_app(softmax_model, n_features=4, log_path=log, log_max_bytes=2000)
    client = TestClient(app)
    for k in range(40):
        client.post("/predict", json={"instances": [[k, 0, 0, 0]] * (1 + k % 3)})
    names = sorted(p.name for p in log.parent.iterdir())
    assert names == [log.name] + [f"{log.name}.{i}" for i in (1, 2, 3)]
    assert all(p.stat().st_size <= 2000 for p in log.parent.iterdir())
    current = read_request_log(log)  # the current file only
    everything = read_request_log(log, rotated=True)  # oldest first
    assert len(current) < len(everything)
    assert everything["time"].is_monotonic_increasing
    assert (
        everything.groupby("request_id")["batch_size"]
        .agg(lambda b: len(b) == b.iloc[0])
        .all()
    )  # no request split across two files
    assert everything["x0"].iloc[-1] == 39 and current["x0"].iloc[-1] == 39


def test_a_request_bigger_than_log_max_bytes_is_written_whole(log) -> None:
    app = make_app(softmax_model, n_features=4, log_path=log, log_max_bytes=100)
    client = TestClient(app)
    client.post("/predict", json={"instances": [[1, 2, 3, 4]] * 5})
    client.post("/predict", json={"instances": [[5, 6, 7, 8]] * 2})
    assert len(read_request_log(log)) == 2
    assert len(read_request_log(log, rotated=True)) == 7


def test_rotation_under_concurrency_never_interleaves_lines(log) -> None:
    app = make_app(
        softmax_model, n_features=4, log_path=log, log_max_bytes=5000, log_backups=500
    )
    client = TestClient(app)

    def send(k: int) -> int:
        rows = [[k, 1, 2, 3]] * 3
        return client.post("/predict", json={"instances": rows}).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(send, range(160)))
    assert codes == [200] * 160
    assert len(list(log.parent.glob("requests.jsonl.*"))) > 10
    table = read_request_log(log, rotated=True)  # every line of every file parses
    assert len(table) == 480 and table["request_id"].nunique() == 160
    assert table.groupby("request_id")["x0"].nunique().eq(1).all()


def test_a_log_that_breaks_after_make_app_gives_500_not_a_crash(log) -> None:
    client = TestClient(
        make_app(softmax_model, n_features=4, log_path=log),
        raise_server_exceptions=False,
    )
    log.mkdir()  # someone puts a folder where the log goes
    response = client.post("/predict", json=ROW)
    assert response.status_code == 500
    assert response.json() == {"detail": "request log error"}


# --- paths and flags are checked by name (issue 17) ---------------------------------


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        (None, TypeError, "path must be a path (str or os.PathLike); got None"),
        (3, TypeError, "path must be a path (str or os.PathLike); got 3"),
        ("", ValueError, "path must be a non-empty path; got ''"),  # not the cwd
    ],
)
def test_read_request_log_refuses_what_is_not_a_path(path, error, message) -> None:
    with pytest.raises(error, match=re.escape(message)):
        read_request_log(path)


def test_read_request_log_rotated_must_be_a_bool(client, log) -> None:
    client.post("/predict", json=ROW)
    with pytest.raises(TypeError, match="rotated must be True or False; got 'yes'"):
        read_request_log(log, rotated="yes")
    assert len(read_request_log(str(log), rotated=np.True_)) == 1


def test_a_log_path_of_the_wrong_type_is_an_input_type_error() -> None:
    with pytest.raises(InputTypeError, match="log_path must be a path or None; got 3"):
        make_app(softmax_model, n_features=4, log_path=3)


def test_stop_checks_its_timeout() -> None:
    with serve_in_background(FastAPI()) as server:
        with pytest.raises(ValueError, match=re.escape("timeout must be > 0; got -1")):
            server.stop(timeout=-1)
        assert server.thread.is_alive()  # a refused call stops nothing
