"""minwatch: critical-minerals intelligence pipeline.

The repository keeps its folders at the top level (`flows/`, `nlp/`, `pipelines/`,
`spiders/`, `warehouse/`, `sample_sources/`); this package names them
`minwatch.flows`, `minwatch.nlp`, ... so that an install adds one top-level name and clashes
with nothing else called `nlp` or `flows`. In the repository they are symbolic links; the
wheel carries the files themselves.
"""
