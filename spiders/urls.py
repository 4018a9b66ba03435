"""URL hygiene: keep API keys out of anything stored, and give articles a stable identity."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_QUERY_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token"})
_SECRET_IN_TEXT = re.compile(r"(?i)\b(api_key|apikey|access_token)=([^&\s\"'<>]+)")


def strip_api_key(url: str) -> str:
    """Return `url` without secret query parameters (api_key and friends)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SECRET_QUERY_PARAMS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, safe="/:,")))


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace each known secret value, and any `api_key=...` query value, with `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _SECRET_IN_TEXT.sub(lambda m: f"{m.group(1)}=***", text)


def strip_api_keys_deep(value: Any) -> Any:
    """Strip secret query parameters from every URL-looking string inside a JSON value."""
    if isinstance(value, str):
        return strip_api_key(value) if "://" in value and "?" in value else value
    if isinstance(value, list):
        return [strip_api_keys_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_api_keys_deep(v) for k, v in value.items()}
    return value


_DEFAULT_PORTS = {"http": 80, "https": 443}


def url_origin(url: str) -> str:
    """`scheme://host:port` of `url`, lowercase and with the port always written out.

    Two URLs share an origin exactly when their origins are equal strings, which is what
    "may this secret go there" compares. A URL whose port does not parse has the origin of its
    whole network location, which equals no configured origin.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return f"{scheme}://{parts.netloc.lower()}"
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


def normalise_url(url: str) -> str:
    """Stable identity for a web page: lowercase scheme and host, no fragment, no utm_* params.

    The path (including a trailing slash) is kept exactly as given: WordPress serves `/slug/`
    and `/slug` as different URLs (one redirects), and the feed's form is the canonical one.
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    scheme = parts.scheme.lower()
    if (scheme, netloc.rsplit(":", 1)[-1]) in {("http", "80"), ("https", "443")}:
        netloc = netloc.rsplit(":", 1)[0]
    query = ""
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [
            (k, v)
            for k, v in pairs
            if not k.lower().startswith("utm_") and k.lower() not in SECRET_QUERY_PARAMS
        ]
        query = urlencode(kept, safe="/:,")
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
