"""`pip install .` carries every file the code reads, and the installed package runs.

A non-editable install once built a wheel without spiders/data/ and most of the sample site:
GDELT raised FileNotFoundError and the demo landed 28 documents instead of 89, exit 0.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PACKAGES = ("flows", "nlp", "pipelines", "sample_sources", "spiders", "warehouse")
# Folders of files that are not Python, read beside the code.
DATA = ("spiders/data", "nlp/data", "warehouse/migrations", "flows/templates", "sample_sources")
MANIFEST = json.loads((REPO / "sample_sources" / "MANIFEST.json").read_text(encoding="utf-8"))
NOT_SHIPPED = ("__pycache__", ".pyc")


def shipped_files(folder: str) -> set[str]:
    """Every file of the checkout under `folder`, as a path inside the wheel."""
    return {
        path.relative_to(REPO).as_posix()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and not any(part in str(path) for part in NOT_SHIPPED)
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` builds, from a copy (the build writes build/ beside it)."""
    source = tmp_path_factory.mktemp("source") / "minwatch"
    anywhere = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__")

    def ignored(folder: str, names: list[str]) -> set[str]:
        # The checkout's own data/ (warehouse, landing), tests and benches are not packaged;
        # spiders/data and nlp/data are.
        top = {"data", "tests", "bench"} if Path(folder) == REPO else set()
        return set(anywhere(folder, names)) | (top & set(names))

    shutil.copytree(REPO, source, ignore=ignored)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("minwatch-*.whl")
    return built


def test_the_wheel_carries_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in DATA:
        expected = {f"minwatch/{path}" for path in shipped_files(folder)}
        assert expected, folder
        assert sorted(expected - names) == [], f"missing from the wheel under {folder}/"
    for package in PACKAGES:
        modules = {f"minwatch/{f}" for f in shipped_files(package) if f.endswith(".py")}
        assert sorted(modules - names) == [], package
    assert "minwatch/spiders/data/gdelt_languages.tsv" in names
    assert "minwatch/sample_sources/news/trade_atom.xml" in names


def test_the_wheel_installs_one_top_level_name_and_the_command(wheel: Path) -> None:
    """Installed, the folders are `minwatch.flows`, `minwatch.nlp`...: nothing else named `nlp`
    or `flows` in the same environment is shadowed, and nothing shadows them."""
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names if not n.startswith("minwatch-")}
    assert top == {"minwatch"}
    second = {n.split("/")[1] for n in names if n.startswith("minwatch/") and n.count("/") > 1}
    assert second == set(PACKAGES)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "minwatch = minwatch.flows.cli:main" in text


# A bare `import nlp` would load a second copy of a module under another name (two registries,
# two settings objects), and would not exist in an install at all.
BARE_IMPORT = re.compile(rf"^\s*(from|import)\s+({'|'.join(PACKAGES)})(\.|\s|$)", re.MULTILINE)
# A dotted path in a string (Scrapy components, spider registry, `-m` targets, settings).
DOTTED_STRING = re.compile(rf"[\"']({'|'.join(PACKAGES)})\.([A-Za-z_]\w*)")


def names_our_code(package: str, name: str) -> bool:
    """Whether `package.name` is one of our modules or objects ("warehouse.duckdb" is a file
    name and "flows.heartbeat_frequency" a Prefect setting: neither is)."""
    module = importlib.import_module(f"minwatch.{package}")
    return (
        hasattr(module, name) or importlib.util.find_spec(f"minwatch.{package}.{name}") is not None
    )


def test_the_code_imports_its_folders_through_the_minwatch_namespace() -> None:
    sources = [
        path
        for folder in (*PACKAGES, "tests", "bench")
        for path in (REPO / folder).rglob("*.py")
        if "data" not in path.relative_to(REPO).parts[1:2]
    ]
    assert len(sources) > 100
    bare = [
        f"{path.relative_to(REPO)}: {match.group(0).strip()}"
        for path in sources
        for match in BARE_IMPORT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert bare == []
    configs = [REPO / name for name in ("scrapy.cfg", "prefect.yaml", "pyproject.toml")]
    dotted = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in (*sources, *configs)
        for match in DOTTED_STRING.finditer(path.read_text(encoding="utf-8"))
        if names_our_code(match.group(1), match.group(2))
    ]
    assert dotted == []


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel installed (not editable).

    Its dependencies come from this interpreter's site-packages, added by a .pth file: the
    editable install's own .pth (its import hook) is not read from there, so minwatch is
    imported from the wheel only.
    """
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "zz_minwatch_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    yield venv


def run_installed(
    venv: Path, *args: str, cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINWATCH_", "PYTHON"))}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.slow
def test_the_installed_package_is_imported_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "import importlib.util as u\n"
        "import minwatch.flows, minwatch.spiders, minwatch.sample_sources as s\n"
        "print(minwatch.spiders.__file__, s.__file__)\n"
        f"print(*[u.find_spec(n) for n in {PACKAGES!r}])\n"
    )
    done = run_installed(installed, "python", "-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files, bare = done.stdout.splitlines()
    for path in files.split():
        assert Path(path).is_relative_to(installed), path
    assert bare.split() == ["None"] * len(PACKAGES)


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "docs").is_dir(), reason="needs ../shared")
def test_the_installed_extract_command_reads_its_gazetteers(
    installed: Path, tmp_path: Path
) -> None:
    docs = sorted((SHARED / "eval" / "dev" / "docs").glob("*.txt"))[:3]
    done = run_installed(installed, "minwatch", "extract", "--jsonl", *map(str, docs), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["doc"] for r in records] == [d.stem for d in docs]
    assert all(r["minerals"] for r in records)
    # The same facts as the checkout extracts.
    checkout = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "extract", "--jsonl", *map(str, docs)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout == checkout.stdout


@pytest.mark.slow
def test_the_installed_demo_lands_every_sample_document(installed: Path, tmp_path: Path) -> None:
    db = tmp_path / "warehouse" / "minwatch.duckdb"
    done = run_installed(installed, "minwatch", "run", "--demo", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 3, done.stdout[-3000:] + done.stderr[-3000:]
    query = "SELECT source, count(*) AS n FROM documents GROUP BY source ORDER BY source"
    done = run_installed(
        installed, "minwatch", "sql", "--db", str(db), query, "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    landed = {row["source"]: row["n"] for row in map(json.loads, done.stdout.splitlines())}
    expected = {s: c["expected_to_land"] for s, c in MANIFEST["counts"].items() if s != "all"}
    assert landed == expected
