"""The settings object behind `flows.settings.load_settings` (pydantic-settings).

Sources, highest first: arguments, the environment variables of `ENVIRONMENT` (by the names
minwatch has always read), the TOML file, the defaults. Relative paths in the file are read
against the file's folder. `format_settings` is `minwatch config`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from minwatch.flows.settings import (
    DB_ENV,
    DEFAULT_DB,
    DEFAULT_WATCH_RULES,
    SAM_KEY_ENV,
    ConfigError,
)


class AlertsSettings(BaseModel):
    """`[alerts]`: where alerts go and which watch rules raise them (docs/alerts.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    urls: list[SecretStr] = []  # apprise URLs carry tokens and passwords
    watch_rules: Path | None = None  # default: config/watch_rules.toml of the checkout


class ClusterSettings(BaseModel):
    """`[cluster]`: scaling out past one machine (README "Scaling out"). Unset, nothing changes.

    The catalog string of `warehouse` may name a password; keep it out of the file and give
    it to libpq as PGPASSWORD or in ~/.pgpass instead.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dask: str | None = None  # a Dask scheduler, "tcp://HOST:8786" (flows/cluster.py)
    # A DuckLake warehouse instead of the `db` file: "ducklake:postgres:dbname=minwatch host=..."
    warehouse: str | None = None
    lake_data_path: str | None = None  # the lake's Parquet files: a shared folder or s3://...
    landing_url: str | None = None  # the landing zone as any fsspec URL, over `landing_dir`


class SourceSettings(BaseModel):
    """`[sources.NAME]`: a registered source switched off or pointed elsewhere, or, with a
    `family`, a source added by configuration (spiders/configured.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    base_url: str | None = None
    # Only for a source added here:
    family: Literal["feed", "news_sitemap"] | None = None
    path: str | None = None  # the feed's path, or the sitemap index's (or sitemap's) path
    language: str = "en"
    download_delay: float = Field(default=2.0, ge=0)


_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Keys only the environment sets: the URLs of `MINWATCH_ALERT_URLS` (kept apart so that they add
# to the file's), and secrets, which never sit in a file (docs/security.md).
_ENVIRONMENT_ONLY = ("environment_alert_urls", "sam_gov_api_key")
_SPLIT_URLS = re.compile(r"[\s,]+")
_BASE_URL_ENV = re.compile(r"^MINWATCH_([A-Z0-9_]+)_BASE_URL$")
_config_file: ContextVar[Path | None] = ContextVar("minwatch_config_file", default=None)
_environ: ContextVar[Mapping[str, str] | None] = ContextVar("minwatch_environ", default=None)
# Each setting -> the environment variable that overrides it (`minwatch config` names them).
ENVIRONMENT = {
    "db": DB_ENV,
    "landing_dir": "MINWATCH_LANDING_DIR",
    "contact_url": "MINWATCH_CONTACT_URL",
    "sam_gov_api_key": SAM_KEY_ENV,
    "alerts.watch_rules": "MINWATCH_WATCH_RULES",
    "alerts.urls (added to the file's)": "MINWATCH_ALERT_URLS",
    "sources.NAME.base_url": "MINWATCH_<NAME>_BASE_URL",
    "cluster.dask": "MINWATCH_DASK",
    "cluster.warehouse": "MINWATCH_WAREHOUSE",
    "cluster.lake_data_path": "MINWATCH_LAKE_DATA_PATH",
    "cluster.landing_url": "MINWATCH_LANDING_URL",
}


class _TomlFile(PydanticBaseSettingsSource):
    """The settings file, its relative paths read against its folder."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self.path = _config_file.get()
        self.data: dict[str, Any] = {}
        if self.path is None:
            return
        try:
            with self.path.open("rb") as handle:
                self.data = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"{self.path}: no such file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{self.path}: not valid TOML: {exc}") from None
        for key in _ENVIRONMENT_ONLY:
            if key in self.data:
                raise ConfigError(f"{self.path}: `{key}` is set by the environment only")
        folder = self.path.parent
        for table, key in ((None, "db"), (None, "landing_dir"), ("alerts", "watch_rules")):
            section = self.data.get(table, {}) if table else self.data
            if isinstance(section, dict) and isinstance(section.get(key), str):
                section[key] = str(folder / Path(section[key]).expanduser())
        cluster = self.data.get("cluster")
        for key in ("lake_data_path", "landing_url"):
            # A URL stays as it is; a folder is read against the file's, like the paths above.
            text = cluster.get(key) if isinstance(cluster, dict) else None
            if isinstance(cluster, dict) and isinstance(text, str) and "://" not in text:
                cluster[key] = str(folder / Path(text).expanduser())

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in self.settings_cls.model_fields}


class _Environment(PydanticBaseSettingsSource):
    """The environment variables of `ENVIRONMENT`, by their existing names."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env = _environ.get()
        if env is None:
            env = os.environ
        values: dict[str, Any] = {}
        for key in ("db", "landing_dir", "contact_url", "sam_gov_api_key"):
            if text := env.get(ENVIRONMENT[key], "").strip():
                values[key] = text
        if rules := env.get(ENVIRONMENT["alerts.watch_rules"], "").strip():
            values["alerts"] = {"watch_rules": rules}
        cluster = {
            key: text
            for key in ("dask", "warehouse", "lake_data_path", "landing_url")
            if (text := env.get(ENVIRONMENT[f"cluster.{key}"], "").strip())
        }
        if cluster:
            values["cluster"] = cluster
        urls = [u for u in _SPLIT_URLS.split(env.get("MINWATCH_ALERT_URLS", "")) if u]
        if urls:
            values["environment_alert_urls"] = urls
        sources: dict[str, dict[str, str]] = {}
        for name, value in env.items():
            if (match := _BASE_URL_ENV.match(name)) and value.strip():
                sources[match.group(1).lower()] = {"base_url": value.strip()}
        if sources:
            values["sources"] = sources
        return values


class Settings(BaseSettings):
    """The effective settings: arguments, then the environment, then the file, then defaults."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    db: Path = DEFAULT_DB
    landing_dir: Path | None = None  # default: `landing` beside the warehouse
    contact_url: str | None = None  # in the crawler's User-Agent
    sam_gov_api_key: SecretStr | None = None
    alerts: AlertsSettings = AlertsSettings()
    cluster: ClusterSettings = ClusterSettings()
    environment_alert_urls: list[SecretStr] = []
    sources: dict[str, SourceSettings] = {}
    # `[[rule]]` tables: watch rules may sit in this file too (flows.alerts reads them).
    rule: list[dict[str, Any]] = []

    _config_file: Path | None = PrivateAttr(default=None)
    _ignored: tuple[str, ...] = PrivateAttr(default=())
    _file_sources: tuple[str, ...] = PrivateAttr(default=())

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Environment(settings_cls), _TomlFile(settings_cls)

    @property
    def config_file(self) -> Path | None:
        return self._config_file

    @property
    def ignored_keys(self) -> tuple[str, ...]:
        """Top-level keys of the file that no part of minwatch reads (typos, old keys)."""
        return self._ignored

    @property
    def alert_urls(self) -> tuple[str, ...]:
        """`MINWATCH_ALERT_URLS`, then `[alerts] urls`, each once."""
        urls = [u.get_secret_value() for u in (*self.environment_alert_urls, *self.alerts.urls)]
        return tuple(dict.fromkeys(urls))

    @property
    def watch_rules(self) -> Path | None:
        """The watch-rules file: the one configured, else the checkout's example if present."""
        if self.alerts.watch_rules is not None:
            return self.alerts.watch_rules
        return DEFAULT_WATCH_RULES if DEFAULT_WATCH_RULES.is_file() else None

    def source_plan(self, registered: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
        """(the sources a night crawls, in order; their configured base URLs).

        `registered` are the coded sources (spiders.registry); a `[sources.NAME]` table for a
        name that is neither registered nor has a `family` is refused.
        """
        where = str(self.config_file or "the settings")
        for name, source in self.sources.items():
            if name in registered:
                if source.family is not None or source.path is not None:
                    raise ConfigError(
                        f"{where}: [sources.{name}] is a registered source; `family` and "
                        "`path` are only for a source added by configuration"
                    )
            elif source.family is None:
                if name not in self._file_sources:
                    continue  # MINWATCH_<NAME>_BASE_URL of something that is not a source
                raise ConfigError(
                    f"{where}: [sources.{name}] is not a registered source "
                    f"({', '.join(registered)}); to add one, set `family` "
                    '("feed" or "news_sitemap"), `base_url` and `path`'
                )
        names = [n for n in registered if self.sources.get(n, SourceSettings()).enabled]
        names += [
            n
            for n, s in self.sources.items()
            if s.family is not None and s.enabled and n not in names
        ]
        urls = {n: s.base_url for n, s in self.sources.items() if s.base_url}
        return names, urls

    def added_sources(self) -> list[dict[str, Any]]:
        """Sources added by configuration, as `spiders.configured.AddedSource` fields."""
        added = []
        where = str(self.config_file or "the settings")
        for name, source in self.sources.items():
            if source.family is None:
                continue
            missing = [k for k in ("base_url", "path") if getattr(source, k) is None]
            if missing:
                raise ConfigError(
                    f"{where}: [sources.{name}] adds a {source.family} source and needs "
                    f"{' and '.join(f'`{k}`' for k in missing)}"
                )
            if not _SOURCE_NAME.match(name):
                raise ConfigError(
                    f"{where}: [sources.{name}]: a source name has lower-case letters, digits "
                    "and '_' (2-40 characters, starting with a letter)"
                )
            assert source.base_url is not None and source.path is not None
            if not source.base_url.startswith(("http://", "https://")):
                raise ConfigError(
                    f"{where}: [sources.{name}] base_url must start with http:// or https://"
                )
            added.append(
                {
                    "name": name,
                    "family": source.family,
                    "base_url": source.base_url,
                    "path": source.path,
                    "language": source.language,
                    "download_delay": source.download_delay,
                }
            )
        return added


def load(path: Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from the file at `path` (None: no file) and `environ` (None: os.environ)."""
    file_token = _config_file.set(path)
    env_token = _environ.set(environ)
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(f"{path or 'environment'}: {problems}") from None
    finally:
        _config_file.reset(file_token)
        _environ.reset(env_token)
    settings._config_file = path
    if path is not None:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        settings._ignored = tuple(sorted(set(data) - set(Settings.model_fields)))
        settings._file_sources = tuple(data.get("sources", {}))
    return settings


def _mask(text: str) -> str:
    """A secret as `****`; an apprise URL keeps its scheme and the digest that names it in the
    alert outbox (`minwatch alerts`), so two targets can be told apart."""
    scheme, sep, _ = text.partition("://")
    if not (sep and scheme.isalnum()):
        return "****"
    return f"{scheme}://****#{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def format_settings(settings: Settings) -> str:
    """`minwatch config`: the effective settings as TOML, secrets masked."""

    def value(v: object) -> str:
        if isinstance(v, SecretStr):
            return f'"{_mask(v.get_secret_value())}"'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"# settings file: {settings.config_file or 'none (defaults and environment only)'}",
        "# the environment overrides the file:",
        *(f"#   {variable} sets {key}" for key, variable in ENVIRONMENT.items()),
    ]
    if settings.ignored_keys:
        lines.append(
            f"# ignored (no part of minwatch reads them): {', '.join(settings.ignored_keys)}"
        )
    lines += [
        f"db = {value(settings.db)}",
        f"landing_dir = {value(settings.landing_dir or settings.db.parent / 'landing')}",
        f"contact_url = {value(settings.contact_url or '')}",
        "sam_gov_api_key = "
        + (value(settings.sam_gov_api_key) if settings.sam_gov_api_key else '""  # not set'),
        "",
        "[alerts]",
        f"urls = {value([SecretStr(u) for u in settings.alert_urls])}",
        f"watch_rules = {value(settings.watch_rules or '')}",
    ]
    if settings.rule:
        lines.append(f"# and {len(settings.rule)} [[rule]] table(s) in the settings file")
    cluster = settings.cluster
    if cluster != ClusterSettings():
        from minwatch.warehouse.lake import redact_catalog

        lines += ["", "[cluster]"]
        lines += [
            f"{key} = {value(redact_catalog(text) if key == 'warehouse' else text)}"
            for key, text in cluster.model_dump().items()
            if text is not None
        ]
    from minwatch.spiders.registry import DEFAULT_SOURCES

    names, urls = settings.source_plan(DEFAULT_SOURCES)
    for name in dict.fromkeys([*DEFAULT_SOURCES, *settings.sources]):
        if name not in DEFAULT_SOURCES and settings.sources[name].family is None:
            continue
        source = settings.sources.get(name, SourceSettings())
        lines += ["", f"[sources.{name}]", f"enabled = {value(name in names)}"]
        lines.append(
            f"base_url = {value(urls[name])}"
            if name in urls
            else "# base_url: the spider's default"
        )
        if source.family is not None:
            lines += [
                f"family = {value(source.family)}",
                f"path = {value(source.path or '')}",
                f"language = {value(source.language)}",
                f"download_delay = {value(source.download_delay)}",
            ]
    return "\n".join(lines)
