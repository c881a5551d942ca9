"""Every runtime in the catalog gets a starter for every role it can play, and every starter compiles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from apps.designs.catalog import get_catalog
from apps.exporting.starters import ROLES, StarterUnavailable, function_code, roles_for

RUNTIMES = tuple(get_catalog().runtimes)
CASES = [(runtime, role) for runtime in RUNTIMES for role in roles_for(runtime)]


def newest(family: str) -> str:
    return next(rid for rid, info in get_catalog().runtimes.items() if info.family == family)


def write(tmp_path: Path, runtime: str, role: str) -> Path:
    for name, source in function_code(runtime, role).files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


def need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.skip(f"the {tool} toolchain is not installed on this machine")
    return found


@pytest.mark.parametrize(("runtime", "role"), CASES)
def test_every_runtime_gets_a_starter_for_every_role_it_can_play(runtime: str, role: str) -> None:
    code = function_code(runtime, role)
    assert code.files and all(source.strip() for source in code.files.values())
    assert code.handler and code.cdk_runtime.startswith("lambda_.Runtime")
    compiled = get_catalog().runtimes[runtime].family in ("java", "dotnet", "provided", "go")
    assert (code.cdk_bundling is not None) == compiled


def test_only_python_and_nodejs_run_at_the_edge() -> None:
    edge = {get_catalog().runtimes[r].family for r in RUNTIMES if "edge" in roles_for(r)}
    assert edge == {"python", "nodejs"}
    with pytest.raises(StarterUnavailable):
        function_code("java21", "edge")


def test_an_unknown_runtime_is_refused() -> None:
    with pytest.raises(StarterUnavailable):
        function_code("cobol85", "function")


def test_go_on_an_os_only_runtime_tells_sam_how_to_build_it() -> None:
    assert function_code("provided.al2023", "function").sam_metadata == {"BuildMethod": "go1.x"}
    assert function_code("go1.x", "function").sam_metadata is None
    assert function_code("python3.13", "function").sam_metadata is None


def test_the_cdk_runtime_expressions_name_real_constants() -> None:
    lambda_ = pytest.importorskip("aws_cdk.aws_lambda")
    for runtime in RUNTIMES:
        expression = function_code(runtime, "function").cdk_runtime
        assert eval(expression, {"lambda_": lambda_}).name == runtime  # noqa: S307 - our own fixed text


def test_the_cdk_bundling_expressions_build_bundling_options(tmp_path: Path) -> None:
    cdk = pytest.importorskip("aws_cdk")
    lambda_ = pytest.importorskip("aws_cdk.aws_lambda")
    for runtime in ("java21", "dotnet8", "provided.al2023", "go1.x"):
        for architecture in ("x86_64", "arm64"):
            bundling = function_code(runtime, "function", architecture=architecture).cdk_bundling
            assert bundling is not None
            assert eval(bundling, {"cdk": cdk, "lambda_": lambda_}).image  # noqa: S307 - our own fixed text


@pytest.mark.parametrize("role", ROLES)
def test_the_python_starters_compile(role: str) -> None:
    for name, source in function_code(newest("python"), role).files.items():
        if name.endswith(".py"):
            compile(source, name, "exec")


@pytest.mark.parametrize("runtime", ["nodejs24.x", "nodejs12.x"])
@pytest.mark.parametrize("role", ROLES)
def test_the_nodejs_starters_pass_node_check(runtime: str, role: str, tmp_path: Path) -> None:
    node = need("node")
    folder = write(tmp_path, runtime, role)
    for name in function_code(runtime, role).files:
        subprocess.run([node, "--check", str(folder / name)], check=True, capture_output=True)


def test_the_commonjs_starter_for_old_node_runtimes_runs(tmp_path: Path) -> None:
    node = need("node")
    folder = write(tmp_path, "nodejs12.x", "authorizer")
    script = (
        "require('./app.js').handler({routeArn: 'arn', identitySource: ['nope']})"
        ".then((answer) => process.stdout.write(JSON.stringify(answer)))"
    )
    result = subprocess.run([node, "-e", script], cwd=folder, check=True, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "EXPECTED_TOKEN": "secret"})  # fmt: skip
    assert result.stdout.splitlines()[-1] == '{"isAuthorized":false}'


@pytest.mark.parametrize("role", ["function", "authorizer"])
def test_the_ruby_starters_pass_ruby_c(role: str, tmp_path: Path) -> None:
    ruby = need("ruby")
    folder = write(tmp_path, newest("ruby"), role)
    subprocess.run([ruby, "-c", str(folder / "app.rb")], check=True, capture_output=True)


@pytest.mark.parametrize("runtime", ["java25", "java8"])
@pytest.mark.parametrize("role", ["function", "authorizer"])
def test_the_java_starters_compile_with_plain_javac(runtime: str, role: str, tmp_path: Path) -> None:
    javac = need("javac")
    folder = write(tmp_path / "src", runtime, role)
    source = folder / "src/main/java/tierplan/Handler.java"
    # --release 8 proves the source keeps to the oldest Java runtime in the catalog
    subprocess.run([javac, "--release", "8", "-Xlint:-options", "-d", str(tmp_path / "classes"), str(source)],
                   check=True, capture_output=True)  # fmt: skip
    assert (tmp_path / "classes/tierplan/Handler.class").exists()
    assert function_code(runtime, role).handler == "tierplan.Handler::handleRequest"


def test_the_java_starter_answers_an_api_request(tmp_path: Path) -> None:
    javac, java = need("javac"), need("java")
    folder = write(tmp_path / "src", "java21", "function")
    (folder / "Probe.java").write_text(
        "public class Probe { public static void main(String[] a) { java.util.Map<String, Object> e ="
        ' new java.util.HashMap<>(); e.put("httpMethod", "GET");'
        ' System.out.print(new tierplan.Handler().handleRequest(e).get("statusCode")); } }'
    )
    classes = tmp_path / "classes"
    sources = [str(folder / "src/main/java/tierplan/Handler.java"), str(folder / "Probe.java")]
    subprocess.run([javac, "-d", str(classes), *sources], check=True, capture_output=True)
    result = subprocess.run([java, "-cp", str(classes), "Probe"], check=True, capture_output=True, text=True)
    assert result.stdout.endswith("200")


@pytest.mark.parametrize("runtime", ["provided.al2023", "go1.x"])
@pytest.mark.parametrize("role", ["function", "authorizer"])
def test_the_go_starters_build_with_the_standard_library_alone(runtime: str, role: str, tmp_path: Path) -> None:
    go = need("go")
    folder = write(tmp_path / "src", runtime, role)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GOCACHE": str(tmp_path / "cache"),
           "GOPATH": str(tmp_path / "go"), "GOFLAGS": "-mod=mod", "GOPROXY": "off", "CGO_ENABLED": "0"}  # fmt: skip
    subprocess.run([go, "build", "-o", str(tmp_path / "bootstrap"), "."], cwd=folder, env=env,
                   check=True, capture_output=True)  # fmt: skip
    assert (tmp_path / "bootstrap").exists()


@pytest.mark.parametrize("role", ["function", "authorizer"])
def test_the_dotnet_starters_build(role: str, tmp_path: Path) -> None:
    dotnet = need("dotnet")
    folder = write(tmp_path, "dotnet8", role)
    subprocess.run([dotnet, "build", str(folder / "Tierplan.csproj")], check=True, capture_output=True)
