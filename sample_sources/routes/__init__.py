"""API routes of the sample server, one module per source family.

Each module registers its handlers with `sample_sources.server.route("/path", ...)`; the server
imports every module here when it is imported. A handler gets `(server, params, headers)` and
returns `(status, headers, body_bytes)`; `server.substitute(bytes)` fills in `__BASE_URL__`
and `server.root` is the sample directory.
"""
