"""modelmaint.serving: request validation (422, never 500), the request log, and a
background server that stops cleanly."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

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
