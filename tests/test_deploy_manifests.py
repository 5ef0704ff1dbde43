"""The deployment files that cannot run on this machine (no container runtime, no cluster), checked offline.

Each file passes its own linter or schema (hadolint, kubernetes-validate, check-jsonschema's compose
and GitHub workflow schemas, shellcheck, ``nginx -t``), and the files agree with each other: the
app's port, the health path, the affinity cookie, the websocket timeout and the template's variables
are the same in nginx.conf, local.sh, the Dockerfile, compose.yaml and the Kubernetes manifests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.deployment import missing
from tests.browser import REPO

DEPLOY = REPO / "deploy"
NGINX = (DEPLOY / "nginx.conf").read_text()
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
LOCAL_SH = (DEPLOY / "local.sh").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
K8S = {
    doc["kind"]: doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text())
}
WORKFLOW = yaml.safe_load((DEPLOY / "refresh-workflow.yml").read_text())
HEALTH = "/_stcore/health"


def app_port() -> int:
    """The port the app image's Streamlit listens on, from its CMD."""
    command = re.search(r'"--server\.port", "(\d+)"', DOCKERFILE)
    return int(command.group(1))


def tool(name: str) -> list[str]:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed (requirements-dev.txt / .ci/run install it)")
    return [found]


def test_the_template_has_exactly_the_variables_local_sh_and_the_proxy_image_fill():
    variables = set(re.findall(r"\$\{(\w+)\}", NGINX))
    assert variables == {"LISTEN_PORT", "UPSTREAM_SERVERS", "FIRST_CHART_PRELOAD"}
    filled = "'${LISTEN_PORT} ${UPSTREAM_SERVERS} ${FIRST_CHART_PRELOAD}'"
    assert f"envsubst {filled}" in LOCAL_SH
    assert f"envsubst {filled}" in DOCKERFILE
    assert "COPY deploy/nginx.conf" in DOCKERFILE


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
def test_nginx_accepts_the_config_as_local_sh_fills_it(tmp_path):
    (tmp_path / "tmp").mkdir()
    servers = "server 127.0.0.1:1 max_fails=1 fail_timeout=10s; server 127.0.0.1:2 max_fails=1 fail_timeout=10s;"
    filled = subprocess.run(
        ["envsubst", "${LISTEN_PORT} ${UPSTREAM_SERVERS} ${FIRST_CHART_PRELOAD}"],
        input=NGINX,
        env={
            "LISTEN_PORT": "127.0.0.1:9",
            "UPSTREAM_SERVERS": servers,
            "FIRST_CHART_PRELOAD": "</a.js>; rel=modulepreload",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (tmp_path / "nginx.conf").write_text(filled)
    test = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr


def test_the_container_images_pass_hadolint():
    run = subprocess.run([*tool("hadolint"), str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "--target app" in DOCKERFILE and "--target proxy" in DOCKERFILE
    assert re.search(rf"EXPOSE {app_port()}\b", DOCKERFILE) and f":{app_port()}{HEALTH}" in DOCKERFILE


def test_local_sh_passes_shellcheck_and_refuses_bad_arguments():
    run = subprocess.run([*tool("shellcheck"), "--severity=warning", str(DEPLOY / "local.sh")], capture_output=True)
    assert run.returncode == 0, run.stdout.decode()
    bad = subprocess.run(["bash", str(DEPLOY / "local.sh"), "--replicas", "two"], capture_output=True, text=True)
    assert bad.returncode == 2 and "whole numbers" in bad.stderr


def test_compose_file_follows_the_compose_spec_and_points_the_proxy_at_every_replica():
    check = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec"]
    run = subprocess.run([*check, str(DEPLOY / "compose.yaml")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    services = COMPOSE["services"]
    replicas = [name for name, s in services.items() if s["build"]["target"] == "app"]
    assert len(replicas) >= 2
    proxy = services["proxy"]
    upstreams = re.findall(
        r"server ([\w.-]+):(\d+) max_fails=\d+ fail_timeout=\d+s;", proxy["environment"]["UPSTREAM_SERVERS"]
    )
    assert upstreams == [(name, str(app_port())) for name in replicas]
    assert proxy["ports"] == [f"{proxy['environment']['LISTEN_PORT']}:{proxy['environment']['LISTEN_PORT']}"]
    assert set(proxy["depends_on"]) == set(replicas)
    for name in replicas:
        assert f":{app_port()}{HEALTH}" in " ".join(services[name]["healthcheck"]["test"])
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in services[name]["environment"]


def test_kubernetes_manifests_are_valid_and_agree_with_nginx_conf():
    manifests = sorted(str(p) for p in (DEPLOY / "k8s").glob("*.yaml"))
    run = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", *manifests], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    deployment, service, ingress = K8S["Deployment"], K8S["Service"], K8S["Ingress"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels == service["spec"]["selector"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["ports"] == [{"name": "http", "containerPort": app_port()}]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": service["spec"]["ports"][0]["name"]}}
    notes = ingress["metadata"]["annotations"]
    cookie = re.search(r"map \$cookie_(\w+) \$affinity", NGINX).group(1)
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == cookie
    stream = NGINX[NGINX.index("location = /_stcore/stream") :]
    timeout = re.search(r"proxy_read_timeout (\d+)s;", stream).group(1)
    assert notes["nginx.ingress.kubernetes.io/proxy-read-timeout"] == timeout
    assert notes["nginx.ingress.kubernetes.io/proxy-send-timeout"] == timeout


def test_the_scheduled_refresh_is_a_valid_workflow_that_commits_the_snapshots():
    check = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
    run = subprocess.run([*check, str(DEPLOY / "refresh-workflow.yml")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    triggers = WORKFLOW[True] if True in WORKFLOW else WORKFLOW["on"]  # YAML 1.1 reads `on` as true
    assert triggers["schedule"][0]["cron"]
    steps = " ".join(step.get("run", "") for step in WORKFLOW["jobs"]["refresh"]["steps"])
    assert "python -m loaders refresh" in steps and "python -m loaders validate" in steps
    assert "git add data/snapshots" in steps and "git push" in steps
