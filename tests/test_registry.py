"""Tests of modelmaint.registry: versions, integrity, promotion, crash safety."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from modelmaint.registry import (
    IntegrityError,
    ModelRegistry,
    _files,
    _layout,
    data_fingerprint,
    sha256_file,
)

REPO = Path(__file__).resolve().parents[1]


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


def test_leftover_temp_dir_is_ignored_then_cleaned(reg):
    reg.save("m", {"a": b"1"})
    (reg.root / "m" / ".tmp-crashed" / "files").mkdir(parents=True)
    (reg.root / "m" / ".tmp-0123.json").write_text("{")  # a pointer write that died
    (reg.root / "m" / "v0009").mkdir()  # no metadata.json: incomplete, not a version
    assert [v.version for v in reg.list_versions("m")] == [1]
    assert reg.save("m", {"a": b"2"}).version == 2
    ModelRegistry(reg.root)  # opening the store removes what dead writers left
    assert not [p for p in (reg.root / "m").iterdir() if p.name.startswith(".tmp-")]
    assert [v.version for v in reg.list_versions("m")] == [1, 2]


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


def _tree(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


BAD_NAMES = ["../../esc/x", "m\n", "a..b", "x" * 65, "a\\b", "-m", "é", None, b"m"]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_bad_name_is_refused_before_any_file_is_touched(tmp_path, name):
    # Before: promote('../../esc/x', 1) raised only after creating esc/x.lock
    # OUTSIDE the store, and "m\n" was accepted ("$" matches before a newline).
    reg = ModelRegistry(tmp_path / "a" / "store")
    reg.save("m", {"a": b"1"})
    before = _tree(tmp_path)
    calls = {
        "save": lambda: reg.save(name, {"a": b"1"}),
        "promote": lambda: reg.promote(name, 1),
        "rollback": lambda: reg.rollback(name),
        "production": lambda: reg.production(name),
        "history": lambda: reg.history(name),
        "list_versions": lambda: reg.list_versions(name),
        "load": lambda: reg.load(name, 1),
        "verify": lambda: reg.verify(name),
        "read_bytes": lambda: reg.read_bytes(name, "a", 1),
    }
    for method, call in calls.items():
        with pytest.raises(ValueError, match="^name must be 1-64 characters") as err:
            call()
        assert "np." not in str(err.value), method
        assert _tree(tmp_path) == before, method
    assert not (tmp_path / "esc").exists()


def test_longest_name_is_accepted(reg):
    assert reg.save("x" * 64, {"a": b"1"}).name == "x" * 64
    assert reg.names() == ["x" * 64]


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


def test_integers_like_check_scalar_and_plain_messages(reg):
    # Before: parent=np.int64(0) said "version must be ...; got np.int64(0)".
    with pytest.raises(ValueError) as err:
        reg.save("m", {"a": b"1"}, parent=np.int64(0))
    assert str(err.value) == "parent must be an integer >= 1; got 0"
    for bad in (True, 1.0, "1"):
        with pytest.raises(ValueError, match="^parent must be an integer >= 1"):
            reg.save("m", {"a": b"1"}, parent=bad)
    reg.save("m", {"a": b"1"})
    v2 = reg.save("m", {"a": b"2"}, parent=np.int64(1))  # NumPy integers accepted
    assert v2.parent == 1 and type(v2.parent) is int
    assert reg.promote("m", np.int32(2)).version == 2
    assert reg.load("m", np.uint8(1)).version == 1
    with pytest.raises(ValueError) as err:
        reg.load("m", np.int64(-3))
    assert str(err.value) == "version must be an integer >= 1; got -3"
    with pytest.raises(ValueError) as err:
        reg.save("m", {"a": b"1"}, metrics={"acc": np.float64("nan")})
    assert str(err.value) == "metrics['acc'] must be a finite number; got nan"
    with pytest.raises(ValueError) as err:
        reg.save("m", {"a": b"1"}, data_hash=np.int64(3))
    assert str(err.value) == "data_hash must be a non-empty string or None; got 3"


@pytest.mark.parametrize(
    "artifacts, match",
    [
        ({"a": b"1", "a/b": b"2"}, "'a' is given twice or holds other files"),
        ({"a/b": b"1", "a\\b": b"2"}, "'a/b' is given twice"),
        ({"a\nb": b"1"}, "artifact names must not contain control characters"),
    ],
)
def test_colliding_or_odd_artifact_names(reg, artifacts, match):
    with pytest.raises(ValueError, match=match):
        reg.save("m", artifacts)
    assert reg.names() == []


# ------------------------------------------------------------ damaged store


def _rewrite(path, text):
    os.chmod(path, 0o644)
    path.write_text(text)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "is corrupt: it holds list"),
        ('{"name": "m"}', "is corrupt: it lacks"),
    ],
)
def test_corrupt_metadata_raises_integrity_error_naming_the_file(reg, text, problem):
    # Before: one corrupt metadata.json made every version unlistable with a bare
    # JSONDecodeError. Now: IntegrityError naming the file, from every reader.
    reg.save("m", {"a": b"1"})
    v2 = reg.save("m", {"a": b"2"})
    _rewrite(v2.path / "metadata.json", text)
    expected = f"m v2: '{v2.path / 'metadata.json'}' {problem}"
    for call in (
        lambda: reg.list_versions("m"),
        lambda: reg.load("m", 2),
        lambda: reg.load("m"),  # the latest
        lambda: reg.promote("m", 2),
        lambda: reg.read_bytes("m", "a", 2),
    ):
        with pytest.raises(IntegrityError) as err:
            call()
        assert str(err.value).startswith(expected), str(err.value)
    assert reg.read_bytes("m", "a", 1) == b"1"  # the sound version still serves
    assert reg.production("m") is None


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("version", 7, "version is 7, the directory says 2"),
        ("name", "other", "name is 'other', the directory says 'm'"),
        ("sha256", {"../../etc/passwd": "0" * 64}, "sha256 must map artifact"),
        ("metrics", {"acc": "high"}, "metrics must map names to finite numbers"),
        ("parent", 2, "parent must be an earlier version or null; got 2"),
    ],
)
def test_metadata_that_save_never_writes_is_refused(reg, field, value, problem):
    reg.save("m", {"a": b"1"})
    v2 = reg.save("m", {"a": b"2"})
    meta = json.loads((v2.path / "metadata.json").read_text())
    _rewrite(v2.path / "metadata.json", json.dumps({**meta, field: value}))
    with pytest.raises(IntegrityError, match="metadata.json' is corrupt") as err:
        reg.list_versions("m")
    assert problem in str(err.value)


@pytest.mark.parametrize(
    "pointer, problem",
    [
        ({"stack": [1, 99], "events": []}, "names version 99, which is not stored"),
        ({"stack": ["1"], "events": []}, "'stack' must be a list of versions"),
        ({"stack": [1], "events": [{"action": "delete"}]}, "'events' must be"),
        ("not json", "is not valid JSON"),
    ],
)
def test_corrupt_production_pointer_raises_integrity_error(reg, pointer, problem):
    # Before: a pointer naming a missing version gave "KeyError: 99".
    reg.save("m", {"a": b"1"})
    reg.promote("m", 1)
    path = reg.root / "m" / "production.json"
    path.write_text(pointer if isinstance(pointer, str) else json.dumps(pointer))
    for call in (
        lambda: reg.production("m"),
        lambda: reg.load("m"),
        lambda: reg.read_bytes("m", "a"),
        lambda: reg.history("m"),
        lambda: reg.promote("m", 1),
        lambda: reg.rollback("m"),
    ):
        with pytest.raises(IntegrityError) as err:
            call()
        assert f"'{path}'" in str(err.value) and problem in str(err.value)
    assert reg.load("m", 1).version == 1  # an explicit version needs no pointer


# ------------------------------------------------ links and special files


def test_symlinked_version_directory_is_refused(reg, tmp_path):
    # Before: a version directory linked to outside the store was listed, loaded
    # and promoted.
    v1 = reg.save("m", {"a": b"1"})
    outside = tmp_path / "outside"
    reg.save("other", {"a": b"evil"})
    os.rename(reg.root / "other" / "v0001", outside)
    meta = json.loads((outside / "metadata.json").read_text())
    _rewrite(outside / "metadata.json", json.dumps({**meta, "name": "m", "version": 2}))
    (reg.root / "m" / "v0002").symlink_to(outside, target_is_directory=True)
    for call in (
        lambda: reg.list_versions("m"),
        lambda: reg.load("m", 2),
        lambda: reg.promote("m", 2),
        lambda: reg.save("m", {"a": b"3"}),
    ):
        with pytest.raises(IntegrityError, match=r"v0002' is a symbolic link"):
            call()
    (reg.root / "m" / "v0002").unlink()
    assert reg.load("m").version == v1.version


def test_symlinked_model_directory_is_refused(reg, tmp_path):
    elsewhere = ModelRegistry(tmp_path / "elsewhere")
    elsewhere.save("m", {"a": b"1"})
    (reg.root / "m").symlink_to(elsewhere.root / "m", target_is_directory=True)
    assert reg.names() == []  # a link is not one of the store's models
    with pytest.raises(IntegrityError, match="is a symbolic link"):
        reg.load("m")
    with pytest.raises(IntegrityError, match="is a symbolic link"):
        reg.save("m", {"a": b"2"})
    assert [v.version for v in elsewhere.list_versions("m")] == [1]


def test_symlinked_stored_file_is_refused(reg, tmp_path):
    mv = reg.save("m", {"dir/a": b"1"})
    secret = tmp_path / "secret"
    secret.write_bytes(b"1")  # the same bytes: only the link gives it away
    stored = mv.file("dir/a")
    stored.unlink()
    stored.symlink_to(secret)
    with pytest.raises(IntegrityError, match="dir/a' is a symbolic link"):
        reg.load("m", 1)
    with pytest.raises(IntegrityError, match="a' is a symbolic link"):
        reg.read_bytes("m", "dir/a", 1)
    stored.unlink()
    (mv.path / "files" / "dir").rmdir()
    (mv.path / "files" / "dir").symlink_to(secret.parent, target_is_directory=True)
    os.rename(secret, secret.parent / "a")
    with pytest.raises(IntegrityError, match="dir' is a symbolic link"):
        reg.read_bytes("m", "dir/a", 1)
    with pytest.raises(IntegrityError, match="dir' is a symbolic link"):
        reg.verify("m", 1)


def test_save_refuses_links_anywhere_in_what_is_saved(reg, tmp_path):
    # Before: saving a directory followed its links into their targets.
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"private key")
    model = tmp_path / "saved_model"
    (model / "variables").mkdir(parents=True)
    (model / "saved_model.pb").write_bytes(b"pb")
    (model / "variables" / "leak").symlink_to(secret)
    link_to_file = tmp_path / "model.keras"
    link_to_file.symlink_to(secret)
    link_to_dir = tmp_path / "linked_model"
    link_to_dir.symlink_to(model, target_is_directory=True)
    cases = {
        "saved_model": (model, model / "variables" / "leak"),
        "model.keras": (link_to_file, link_to_file),
        "linked": (link_to_dir, link_to_dir),
    }
    for key, (src, named) in cases.items():
        with pytest.raises(ValueError) as err:
            reg.save("m", {key: src})
        message = str(err.value)
        assert message.startswith(f"artifacts[{key!r}] must be bytes, a regular file")
        assert f"{str(named)!r} (a symbolic link)" in message, message
    assert reg.names() == [] and not (reg.root / "m").exists()  # nothing written


def test_save_refuses_devices_and_fifos(reg, tmp_path):
    # Before: save(..., "/dev/zero") copied until the disk filled.
    if os.path.exists("/dev/zero"):
        with pytest.raises(ValueError, match=r"'/dev/zero' \(a character device\)"):
            reg.save("m", {"model.bin": "/dev/zero"})
    if hasattr(os, "mkfifo"):
        folder = tmp_path / "with_fifo"
        folder.mkdir()
        os.mkfifo(folder / "pipe")  # reading it would block forever
        with pytest.raises(ValueError, match=r"pipe' \(a FIFO\)"):
            reg.save("m", {"model": folder})
        with pytest.raises(ValueError, match=r"pipe' \(a FIFO\)"):
            reg.save("m", {"model": folder / "pipe"})
    assert reg.names() == []


def test_stored_fifo_or_device_is_refused_on_load(reg):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    mv = reg.save("m", {"a": b"1"})
    mv.file("a").unlink()
    os.mkfifo(mv.file("a"))
    with pytest.raises(IntegrityError, match="a' is a FIFO"):
        reg.load("m", 1)
    with pytest.raises(IntegrityError, match="a' is a FIFO"):
        reg.read_bytes("m", "a", 1)


# ------------------------------------------------- writers that died mid-save

_WRITER = """
import sys
from modelmaint.registry import ModelRegistry
payload = {f"part{i:03d}.bin": bytes([i]) * (256 << 10) for i in range(128)}
ModelRegistry(sys.argv[1]).save("m", payload, notes="32 MiB")
"""


def test_kill_9_mid_save_leaves_nothing_after_reopening(tmp_path):
    # Before: 25 kill -9 mid-save left 20 .tmp-* directories that nothing cleaned.
    reg = ModelRegistry(tmp_path / "store")
    reg.save("m", {"model.bin": b"v1"})
    reg.promote("m", 1)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(reg.root)], cwd=REPO, env=env
    )
    model_dir = reg.root / "m"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and writer.poll() is None:
            tmps = [p for p in model_dir.glob(".tmp-*") if p.is_dir()]
            if tmps and any((tmps[0] / "files").glob("*.bin")):
                break  # files are being written: mid-save
            time.sleep(0.001)
        assert writer.poll() is None, "the writer finished before it could be killed"
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(30)
    assert writer.returncode == -signal.SIGKILL
    left = sorted(p.name for p in model_dir.glob(".tmp-*"))
    assert any(not name.endswith(".lock") for name in left), left  # a real leftover
    assert [v.version for v in reg.list_versions("m")] == [1]  # nothing half-written

    reopened = ModelRegistry(reg.root)
    assert sorted(p.name for p in model_dir.iterdir()) == ["production.json", "v0001"]
    assert [v.version for v in reopened.list_versions("m")] == [1]
    assert reopened.read_bytes("m", "model.bin") == b"v1"
    assert reopened.save("m", {"model.bin": b"v2"}).version == 2


def test_a_live_writer_temporary_is_kept(reg):
    # Stale means "its writer is gone", not "it exists": a writer still staging
    # holds its guard, and opening the store meanwhile must leave its files alone.
    reg.save("m", {"a": b"1"})
    tmp = reg.root / "m" / ".tmp-live"
    with _layout.writer_guard(reg.root / "m" / ".tmp-live.lock"):
        (tmp / "files").mkdir(parents=True)
        ModelRegistry(reg.root)
        assert (tmp / "files").is_dir()
    ModelRegistry(reg.root)  # the writer is gone now
    assert not tmp.exists() and not (reg.root / "m" / ".tmp-live.lock").exists()


# ----------------------------------------------------------- paths (issue 17)


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        (None, TypeError, "path must be a path (str or os.PathLike); got None"),
        (3, TypeError, "path must be a path (str or os.PathLike); got 3"),  # an fd
        ("", ValueError, "path must be a non-empty path; got ''"),
    ],
)
def test_sha256_file_refuses_what_is_not_a_path(path, error, message):
    with pytest.raises(error, match=re.escape(message)):
        sha256_file(path)


@pytest.mark.parametrize("follow", ["no", 1, None, 0.5])
def test_sha256_file_follow_must_be_a_bool(tmp_path, follow):
    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    message = f"follow must be True or False; got {follow!r}"
    with pytest.raises(TypeError, match=re.escape(message)):
        sha256_file(f, follow=follow)
    assert sha256_file(f, follow=np.True_) == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("root", "error", "message"),
    [
        (3, TypeError, "root must be a path (str or os.PathLike); got 3"),
        (None, TypeError, "root must be a path (str or os.PathLike); got None"),
        ("", ValueError, "root must be a non-empty path; got ''"),  # not the cwd
    ],
)
def test_root_must_be_a_non_empty_path(root, error, message):
    with pytest.raises(error, match=re.escape(message)):
        ModelRegistry(root)


def test_an_empty_artifact_path_is_not_the_current_folder(reg):
    with pytest.raises(ValueError, match=r"artifacts\['a'\] must be bytes .*; got ''"):
        reg.save("m", {"a": ""})
    assert reg.names() == []
