"""Tests of modelmaint.registry: versions, integrity, promotion, crash safety."""

from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import pytest

from modelmaint.registry import (
    IntegrityError,
    ModelRegistry,
    _files,
    data_fingerprint,
)


@pytest.fixture
def reg(tmp_path):
    return ModelRegistry(tmp_path / "store")


def test_round_trip_bytes_and_known_sha256(reg):
    mv = reg.save("m", {"model.tflite": b"abc"}, metrics={"accuracy": 0.9})
    # published test vector: sha256("abc")
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert mv.sha256 == {"model.tflite": expected}
    assert reg.read_bytes("m", "model.tflite", 1) == b"abc"
    loaded = reg.load("m", 1)
    assert loaded == mv
    assert loaded.file("model.tflite").read_bytes() == b"abc"


def test_files_and_directories_are_copied(reg, tmp_path):
    f = tmp_path / "model.keras"
    f.write_bytes(b"keras-zip")
    d = tmp_path / "saved"
    (d / "variables").mkdir(parents=True)
    (d / "saved_model.pb").write_bytes(b"pb")
    (d / "variables" / "variables.index").write_bytes(b"idx")
    mv = reg.save("m", {"model.keras": f, "saved_model": d, "notes.txt": b"hi"})
    assert sorted(mv.sha256) == [
        "model.keras",
        "notes.txt",
        "saved_model/saved_model.pb",
        "saved_model/variables/variables.index",
    ]
    assert mv.sha256["model.keras"] == hashlib.sha256(b"keras-zip").hexdigest()
    assert (mv.file("saved_model/variables/variables.index")).read_bytes() == b"idx"
    f.write_bytes(b"changed later")  # the store keeps its own copy
    assert reg.load("m").file("model.keras").read_bytes() == b"keras-zip"


def test_version_numbering_and_metadata(reg):
    v1 = reg.save("m", {"a.bin": b"1"}, metrics={"acc": 0.8}, data_hash="d1")
    v2 = reg.save("m", {"a.bin": b"2"}, metrics={"acc": np.float32(0.85)}, parent=1)
    other = reg.save("other", {"a.bin": b"x"})
    assert (v1.version, v2.version, other.version) == (1, 2, 1)
    assert v1.parent is None and v2.parent == 1
    assert v1.data_hash == "d1" and v2.data_hash is None
    assert v2.metrics == {"acc": pytest.approx(0.85)}
    assert isinstance(v2.metrics["acc"], float)
    assert v1.created.endswith("+00:00")
    assert [v.version for v in reg.list_versions("m")] == [1, 2]
    assert reg.names() == ["m", "other"]
    meta = json.loads((v2.path / "metadata.json").read_text())
    assert meta["version"] == 2 and meta["parent"] == 1


def test_version_objects_are_frozen(reg):
    mv = reg.save("m", {"a": b"1"})
    with pytest.raises(AttributeError):
        mv.version = 5


def test_load_default_is_production_then_latest(reg):
    reg.save("m", {"a": b"1"})
    reg.save("m", {"a": b"2"})
    assert reg.production("m") is None
    assert reg.load("m").version == 2  # nothing promoted: the latest
    reg.promote("m", 1)
    assert reg.load("m").version == 1
    assert reg.read_bytes("m", "a") == b"1"


def test_promote_and_rollback(reg):
    for i in range(3):
        reg.save("m", {"a": str(i).encode()})
    reg.promote("m", 1)
    reg.promote("m", 2)
    reg.promote("m", 2)  # promoting the serving version again changes nothing
    reg.promote("m", 3)
    assert reg.production("m").version == 3
    assert reg.rollback("m").version == 2
    assert reg.production("m").version == 2
    assert reg.rollback("m").version == 1
    with pytest.raises(ValueError, match="no earlier promoted version"):
        reg.rollback("m")
    actions = [(e["action"], e["version"]) for e in reg.history("m")]
    assert actions == [
        ("promote", 1),
        ("promote", 2),
        ("promote", 2),
        ("promote", 3),
        ("rollback", 2),
        ("rollback", 1),
    ]
    # rolling back never deletes: every version is still there
    assert [v.version for v in reg.list_versions("m")] == [1, 2, 3]


def test_tampered_file_is_refused_with_names_and_hashes(reg):
    mv = reg.save("m", {"model.tflite": b"good"})
    os.chmod(
        mv.file("model.tflite"), 0o644
    )  # read-only: force it, as an intruder would
    mv.file("model.tflite").write_bytes(b"evil")
    good = hashlib.sha256(b"good").hexdigest()
    evil = hashlib.sha256(b"evil").hexdigest()
    with pytest.raises(IntegrityError, match=f"'model.tflite'.*{good}.*{evil}"):
        reg.load("m", 1)
    with pytest.raises(IntegrityError, match="model.tflite"):
        reg.read_bytes("m", "model.tflite", 1)
    with pytest.raises(ValueError, match="modified"):  # IntegrityError is a ValueError
        reg.promote("m", 1)
    assert reg.production("m") is None


def test_missing_and_extra_files_are_refused(reg):
    mv = reg.save("m", {"a": b"1", "b": b"2"})
    (mv.path / "files" / "evil.pkl").write_bytes(b"payload")
    with pytest.raises(IntegrityError, match="unexpected file.*evil.pkl"):
        reg.load("m", 1)
    (mv.path / "files" / "evil.pkl").unlink()
    (mv.path / "files" / "b").unlink()
    with pytest.raises(IntegrityError, match="'b' is missing"):
        reg.load("m", 1)


def test_existing_version_cannot_be_overwritten(reg, monkeypatch):
    reg.save("m", {"a": b"first"})
    # Even if the number were miscounted, the rename onto a stored version fails.
    monkeypatch.setattr(reg, "_version_dirs", lambda name: {})
    with pytest.raises(OSError):
        reg.save("m", {"a": b"second"})
    monkeypatch.undo()
    assert reg.read_bytes("m", "a", 1) == b"first"
    assert [p.name for p in (reg.root / "m").iterdir() if p.name.startswith(".")] == []


def test_stored_files_are_read_only(reg):
    mv = reg.save("m", {"model.tflite": b"x", "meta/config.json": b"{}"})
    for path in [
        mv.file("model.tflite"),
        mv.file("meta/config.json"),
        mv.path / "metadata.json",
    ]:
        assert not os.stat(path).st_mode & 0o222, path


def _save_and_promote(root, worker, n):
    reg = ModelRegistry(root)
    for i in range(n):
        mv = reg.save("m", {"model.bin": f"{worker}-{i}".encode()})
        reg.promote("m", mv.version)


def test_concurrent_writers_all_succeed_with_distinct_versions(tmp_path):
    # Before the lock, 3 processes x 30 saves lost 56 of 90 saves to
    # "version N already exists"; now every save takes the next free number.
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_save_and_promote, args=(tmp_path, w, 30)) for w in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    reg = ModelRegistry(tmp_path)
    versions = reg.list_versions("m")
    assert [v.version for v in versions] == list(range(1, 91))
    contents = {reg.read_bytes("m", "model.bin", v.version) for v in versions}
    assert len(contents) == 90  # nothing overwritten, nothing lost
    events = reg.history("m")
    assert len(events) == 90 and {e["action"] for e in events} == {"promote"}


@pytest.mark.parametrize("where", ["copy", "rename"])
def test_crash_mid_save_loses_nothing(reg, tmp_path, monkeypatch, where):
    reg.save("m", {"model.tflite": b"v1"}, metrics={"acc": 0.9})
    reg.promote("m", 1)
    src = tmp_path / "saved"
    src.mkdir()
    for i in range(4):
        (src / f"part{i}.bin").write_bytes(bytes([i]) * 1000)

    calls = {"n": 0}
    if where == "copy":
        real_copy = _files.copy_file

        def crashing_copy(a, b):
            calls["n"] += 1
            if calls["n"] == 3:  # halfway through the directory
                raise OSError("disk full (simulated)")
            real_copy(a, b)

        monkeypatch.setattr(_files, "copy_file", crashing_copy)
    else:
        real_replace = os.replace

        def crashing_replace(a, b):
            calls["n"] += 1
            raise OSError("power cut (simulated)")

        monkeypatch.setattr(os, "replace", crashing_replace)

    with pytest.raises(OSError, match="simulated"):
        reg.save("m", {"saved_model": src}, parent=1)
    assert calls["n"] >= 1
    monkeypatch.undo()
    if where == "rename":
        assert os.replace is real_replace

    # nothing partial is listed, nothing is left behind, v1 still verifies and serves
    assert [v.version for v in reg.list_versions("m")] == [1]
    assert sorted(p.name for p in (reg.root / "m").iterdir()) == [
        "production.json",
        "v0001",
    ]
    assert reg.read_bytes("m", "model.tflite", 1) == b"v1"
    assert reg.production("m").version == 1
    # a retry succeeds and gets the next number
    v2 = reg.save("m", {"saved_model": src}, parent=1)
    assert v2.version == 2 and len(reg.load("m", 2).sha256) == 4


def test_crash_while_promoting_keeps_old_pointer(reg, monkeypatch):
    reg.save("m", {"a": b"1"})
    reg.save("m", {"a": b"2"})
    reg.promote("m", 1)

    def crashing_replace(a, b):
        raise OSError("power cut (simulated)")

    monkeypatch.setattr(os, "replace", crashing_replace)
    with pytest.raises(OSError, match="simulated"):
        reg.promote("m", 2)
    monkeypatch.undo()
    assert reg.production("m").version == 1
    assert not [p for p in (reg.root / "m").iterdir() if p.name.startswith(".tmp")]


def test_leftover_temp_dir_is_ignored(reg):
    reg.save("m", {"a": b"1"})
    (reg.root / "m" / ".tmp-crashed" / "files").mkdir(parents=True)
    (reg.root / "m" / "v0009").mkdir()  # no metadata.json: incomplete, not a version
    assert [v.version for v in reg.list_versions("m")] == [1]
    assert reg.save("m", {"a": b"2"}).version == 2


def test_data_fingerprint():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    y = np.array([0, 1, 0])
    assert data_fingerprint(x, y) == data_fingerprint(x.copy(), y.copy())
    assert data_fingerprint(x, y) != data_fingerprint(x, 1 - y)
    assert data_fingerprint(x) != data_fingerprint(x.astype(np.float64))
    assert len(data_fingerprint(x)) == 64
    with pytest.raises(ValueError, match="dtype object"):
        data_fingerprint(np.array([{}, 1], dtype=object))


# ------------------------------------------------------------------ bad input


def test_bad_root(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ValueError, match="root must be a directory"):
        ModelRegistry(f)
    with pytest.raises(ValueError, match="root must be a path"):
        ModelRegistry(3)


@pytest.mark.parametrize("name", ["", "../evil", "a/b", ".hidden", 7, "x" * 101])
def test_bad_name(reg, name):
    with pytest.raises(ValueError, match="name must be"):
        reg.save(name, {"a": b"1"})


def test_unknown_name_and_version(reg):
    with pytest.raises(ValueError, match="name 'nope' is not in the registry"):
        reg.load("nope")
    reg.save("m", {"a": b"1"})
    with pytest.raises(
        ValueError, match=r"version 5 of 'm' does not exist \(stored: \[1\]\)"
    ):
        reg.load("m", 5)
    for bad in (0, -1, 1.0, True, "1"):
        with pytest.raises(ValueError, match="version must be an integer >= 1"):
            reg.load("m", bad)
    with pytest.raises(ValueError, match="relpath must be one of"):
        reg.read_bytes("m", "b", 1)


@pytest.mark.parametrize(
    "artifacts, match",
    [
        ({}, "artifacts must be a non-empty mapping"),
        (b"raw", "artifacts must be a non-empty mapping"),
        ({"a": 3}, r"artifacts\['a'\] must be bytes or an existing file"),
        ({"a": "/no/such/file"}, "existing file or directory"),
        ({"../a": b"1"}, "artifact names must be relative"),
        ({"/abs": b"1"}, "artifact names must be relative"),
        ({"": b"1"}, "artifact names must be non-empty"),
    ],
)
def test_bad_artifacts(reg, artifacts, match):
    with pytest.raises(ValueError, match=match):
        reg.save("m", artifacts)


def test_bad_metadata(reg):
    with pytest.raises(ValueError, match="metrics must be a mapping"):
        reg.save("m", {"a": b"1"}, metrics=[0.9])
    with pytest.raises(ValueError, match=r"metrics\['acc'\] must be a finite number"):
        reg.save("m", {"a": b"1"}, metrics={"acc": float("nan")})
    with pytest.raises(ValueError, match=r"metrics\['acc'\] must be a finite number"):
        reg.save("m", {"a": b"1"}, metrics={"acc": "high"})
    with pytest.raises(ValueError, match="metrics keys must be non-empty strings"):
        reg.save("m", {"a": b"1"}, metrics={1: 0.5})
    with pytest.raises(ValueError, match="data_hash must be a non-empty string"):
        reg.save("m", {"a": b"1"}, data_hash=123)
    with pytest.raises(ValueError, match="notes must be a string"):
        reg.save("m", {"a": b"1"}, notes=None)
    with pytest.raises(
        ValueError, match=r"parent must be a stored version of 'm' \(stored: \[\]\)"
    ):
        reg.save("m", {"a": b"1"}, parent=1)
    assert reg.names() == []  # nothing was stored by the failed calls


def test_promote_unknown_version(reg):
    reg.save("m", {"a": b"1"})
    with pytest.raises(ValueError, match="version 2 of 'm' does not exist"):
        reg.promote("m", 2)
    with pytest.raises(ValueError, match="no earlier promoted version"):
        reg.rollback("m")
