"""One settings file, the environment over it, paths read against the file, `minwatch config`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from minwatch.flows.alerts import AlertConfigError, load_alert_config
from minwatch.flows.config import format_settings
from minwatch.flows.settings import ConfigError, Paths, load_settings
from minwatch.spiders.registry import DEFAULT_SOURCES
from minwatch.warehouse.alerts import WatchRule

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "config" / "minwatch.sample.toml"
EXAMPLE_RULES = (
    WatchRule(
        name="dla-antimony-gallium",
        kinds=("procurement",),
        minerals=("antimony", "gallium"),
        buyers=("DEFENSE LOGISTICS AGENCY",),
    ),
    WatchRule(name="award-over-10m", notice_types=("Award Notice",), min_usd=10_000_000.0),
)


def cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MINWATCH_")}
    environ.pop("SAM_GOV_API_KEY", None)
    # Run from another folder, as cron does: the code is found through PYTHONPATH only.
    environ["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", *args],
        cwd=cwd,
        env=environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_watch_rules_load_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checkout's example rules were read from the current directory: elsewhere, none."""
    monkeypatch.chdir(tmp_path)
    config = load_alert_config(environ={})
    assert config.rules == EXAMPLE_RULES
    assert config.files == (str(REPO / "config" / "watch_rules.toml"),)


def test_minwatch_config_from_another_folder_names_the_checkout_rules(tmp_path: Path) -> None:
    done = cli("config", "--db", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f'watch_rules = "{REPO / "config" / "watch_rules.toml"}"' in done.stdout.splitlines()
    assert "# settings file: none (defaults and environment only)" in done.stdout


def test_relative_paths_are_read_against_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "minwatch.toml").write_text(
        'db = "wh/minwatch.duckdb"\nlanding_dir = "raw"\n\n[alerts]\nwatch_rules = "rules.toml"\n',
        encoding="utf-8",
    )
    (folder / "rules.toml").write_text(
        '[[rule]]\nname = "graphite"\nminerals = ["graphite"]\n', encoding="utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    # A relative --config is read against the current directory, like any argument.
    environ = {"MINWATCH_CONFIG": "../etc/minwatch.toml"}
    settings = load_settings(environ=environ)
    assert settings.config_file == folder / "minwatch.toml"
    assert settings.db == folder / "wh" / "minwatch.duckdb"
    assert settings.landing_dir == folder / "raw"
    assert settings.watch_rules == folder / "rules.toml"
    assert load_alert_config(environ=environ).rules == (
        WatchRule(name="graphite", minerals=("graphite",)),
    )
    monkeypatch.setenv("MINWATCH_CONFIG", str(folder / "minwatch.toml"))
    assert Paths.resolve() == Paths(
        db=folder / "wh" / "minwatch.duckdb", landing_dir=folder / "raw"
    )


def test_the_file_beside_the_warehouse_is_found_and_the_environment_overrides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "minwatch.toml").write_text(
        'contact_url = "https://file.example.org"\n\n[alerts]\nurls = ["json://file.example.org/a"]\n'
        '\n[sources.trade_atom]\nbase_url = "https://file.example.org"\n'
        "\n[sources.gdelt]\nenabled = false\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(REPO)
    db = tmp_path / "minwatch.duckdb"
    settings = load_settings(db=db, environ={})
    assert settings.config_file == tmp_path / "minwatch.toml"
    assert settings.contact_url == "https://file.example.org"
    names, urls = settings.source_plan(DEFAULT_SOURCES)
    assert "gdelt" not in names
    assert names == [n for n in DEFAULT_SOURCES if n != "gdelt"]
    assert urls == {"trade_atom": "https://file.example.org"}

    overridden = load_settings(
        db=db,
        environ={
            "MINWATCH_CONTACT_URL": "https://env.example.org",
            "MINWATCH_TRADE_ATOM_BASE_URL": "https://env.example.org",
            "MINWATCH_ALERT_URLS": "json://env.example.org/b",
        },
    )
    assert overridden.contact_url == "https://env.example.org"
    assert overridden.source_plan(DEFAULT_SOURCES)[1] == {"trade_atom": "https://env.example.org"}
    assert overridden.alert_urls == ("json://env.example.org/b", "json://file.example.org/a")
    # No file there: the defaults.
    assert load_settings(db=tmp_path / "other" / "w.duckdb", environ={}).config_file is None


def test_minwatch_config_masks_secrets(tmp_path: Path) -> None:
    (tmp_path / "minwatch.toml").write_text(
        '[alerts]\nurls = ["slack://TokenA/TokenB/TokenC", "mailto://user:hunter2@example.org"]\n',
        encoding="utf-8",
    )
    done = cli(
        "config",
        "--config",
        str(tmp_path / "minwatch.toml"),
        cwd=tmp_path,
        env={
            "SAM_GOV_API_KEY": "SENTINEL-KEY-5f1c9d2e7a",
            "MINWATCH_ALERT_URLS": "json://h/x?t=s3",
        },
    )
    assert done.returncode == 0, done.stderr
    for secret in ("SENTINEL-KEY", "TokenA", "hunter2", "t=s3"):
        assert secret not in done.stdout
    assert 'sam_gov_api_key = "****"' in done.stdout
    assert re.search(r'urls = \["json://\*{4}#[0-9a-f]{12}", "slack://\*{4}#', done.stdout)
    assert f"# settings file: {tmp_path / 'minwatch.toml'}" in done.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('sam_gov_api_key = "K"\n', r"`sam_gov_api_key` is set by the environment only"),
        ("[alerts]\nurl = []\n", r"alerts\.url: Extra inputs are not permitted"),
        ("[sources.gdelt]\nenabled = 3\n", r"sources\.gdelt\.enabled"),
        ('[sources.wire]\nfamily = "rss"\n', r"sources\.wire\.family: Input should be 'feed'"),
        ("db = \n", r"not valid TOML"),
    ],
)
def test_a_bad_file_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "minwatch.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(config=path, environ={})
    assert str(caught.value).startswith(str(path))
    done = cli("config", "--config", str(path), cwd=tmp_path)
    assert done.returncode == 78
    assert done.stderr.startswith(f"minwatch config: bad configuration: {path}")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_named_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AlertConfigError, match=r"absent\.toml: no such file"):
        load_alert_config(config_path=tmp_path / "absent.toml", environ={})
    done = cli("run", "--config", str(tmp_path / "absent.toml"), cwd=tmp_path)
    assert done.returncode == 78, done.stderr


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[sources.wire]\nbase_url = "https://w.example.org"\n',
            r"\[sources\.wire\] is not a registered",
        ),
        ('[sources.wire]\nfamily = "feed"\nbase_url = "https://w.example.org"\n', r"needs `path`"),
        ('[sources.gdelt]\nfamily = "feed"\n', r"\[sources\.gdelt\] is a registered source"),
        (
            '[sources.wire]\nfamily = "feed"\nbase_url = "ftp://w.example.org"\npath = "/x"\n',
            r"base_url must start with http:// or https://",
        ),
    ],
)
def test_sources_tables_are_checked(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "minwatch.toml"
    path.write_text(table, encoding="utf-8")
    settings = load_settings(config=path, environ={})
    with pytest.raises(ConfigError, match=message):
        settings.source_plan(DEFAULT_SOURCES)
        settings.added_sources()


def test_the_sample_is_valid_with_every_example_uncommented(tmp_path: Path) -> None:
    assert load_settings(config=SAMPLE, environ={}).source_plan(DEFAULT_SOURCES)[0] == list(
        DEFAULT_SOURCES
    )
    examples = re.sub(r"^# (\[|[a-z_]+ = )", r"\1", SAMPLE.read_text(encoding="utf-8"), flags=re.M)
    (tmp_path / "minwatch.toml").write_text(examples, encoding="utf-8")
    (tmp_path / "watch_rules.toml").write_text(
        (REPO / "config" / "watch_rules.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    settings = load_settings(config=tmp_path / "minwatch.toml", environ={})
    assert settings.ignored_keys == ()
    assert settings.db == tmp_path / "minwatch.duckdb"
    assert settings.watch_rules == tmp_path / "watch_rules.toml"
    names, urls = settings.source_plan(DEFAULT_SOURCES)
    assert names == [
        *(n for n in DEFAULT_SOURCES if n != "gdelt"),
        "metals_wire",
        "ore_ledger_sitemap",
    ]
    assert urls["trade_atom"] == "https://www.trade-publication.example.com"
    assert [(a["name"], a["family"], a["path"]) for a in settings.added_sources()] == [
        ("metals_wire", "feed", "/rss/critical-minerals.xml"),
        ("ore_ledger_sitemap", "news_sitemap", "/sitemap_index.xml"),
    ]
    text = format_settings(settings)
    assert "user:password" not in text
    assert "[sources.metals_wire]\nenabled = true\n" in text
