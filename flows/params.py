"""Task parameters that Prefect passes along without walking them."""

from __future__ import annotations

from typing import TypeVar, cast

from prefect.utilities.annotations import quote

_T = TypeVar("_T")


def as_is(value: _T) -> _T:
    """`value` as a task parameter that Prefect passes without looking inside.

    Prefect walks every parameter of a task call, to its last nested field, looking for
    futures to wait on; a batch's documents or facts are tens of thousands of objects, and
    that walk was most of the flow process's CPU (~4 ms a document), taken from the workers'
    cores. These parameters never hold futures.
    """
    return cast(_T, quote(value))
