"""The Elasticsearch launcher's pure parts: JDK choice and the pid check that protects other processes."""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location("esnode", Path(__file__).resolve().parents[2] / "scripts" / "esnode.py")
esnode = importlib.util.module_from_spec(SPEC)
sys.modules["esnode"] = esnode
SPEC.loader.exec_module(esnode)


def fake_jdk(root: Path, name: str, version: str) -> Path:
    """Make a directory whose bin/java prints a `java -version` banner."""
    home = root / name
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text(f'#!/bin/sh\necho \'openjdk version "{version}" 2026-01-01\' >&2\n')
    java.chmod(0o755)
    return home


def test_java_major_reads_the_banner(tmp_path):
    assert esnode.java_major(fake_jdk(tmp_path, "j17", "17.0.15")) == 17
    assert esnode.java_major(tmp_path / "nothing") is None


def test_find_java_prefers_the_newest_jdk_21_plus(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    fake_jdk(tmp_path, "a-17", "17.0.15")
    fake_jdk(tmp_path, "b-21", "21.0.2")
    newest = fake_jdk(tmp_path, "c-25", "25.0.3")
    assert esnode.find_java(None, search_dirs=(tmp_path,)) == newest


def test_configured_java_that_is_too_old_is_an_error(tmp_path):
    old = fake_jdk(tmp_path, "j17", "17.0.15")
    with pytest.raises(esnode.LauncherError, match="not a JDK 21"):
        esnode.find_java(str(old))


def test_pid_file_naming_another_process_is_ignored(tmp_path):
    layout = esnode.Layout(tmp_path, "9.5.4")
    layout.run.mkdir(parents=True)
    layout.pidfile.write_text(str(os.getpid()))  # pytest itself, not an Elasticsearch node
    assert esnode.read_pid(layout) is None


def test_layout_keeps_state_under_var(tmp_path):
    layout = esnode.Layout(tmp_path, "9.5.4")
    assert layout.data == tmp_path / "var" / "elasticsearch" / "data"
    assert layout.home == tmp_path / ".cache" / "elasticsearch" / "elasticsearch-9.5.4"


def test_layout_state_moves_the_node_state_but_not_the_distribution(tmp_path):
    layout = esnode.Layout(tmp_path, "9.5.4", state=tmp_path / "elsewhere")
    assert layout.data == tmp_path / "elsewhere" / "data"
    assert layout.pidfile == tmp_path / "elsewhere" / "run" / "elasticsearch.pid"
    assert layout.home == tmp_path / ".cache" / "elasticsearch" / "elasticsearch-9.5.4"
