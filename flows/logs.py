"""Operator-level logging for flow runs: what a source did, not what each task did.

Prefect logs "Created task run", "Executing task" and "Finished in state Completed()" at INFO
for every task run, ~64 lines for a night of ten sources, which bury the one line per source
an operator reads. Those records are dropped from the task-run logger (console and the flow
run's page alike) unless `MINWATCH_DEBUG` is set (`minwatch --debug`); a task that ends in any
other state is logged by Prefect at ERROR and always shows.
"""

from __future__ import annotations

import logging
import os

DEBUG_ENV = "MINWATCH_DEBUG"
_CHATTER = ("Finished in state Completed(", "Created task run ", "Executing task ")


class TaskChatter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or os.environ.get(DEBUG_ENV):
            return True
        return not str(record.msg).startswith(_CHATTER)


_FILTER = TaskChatter()


def quiet_task_chatter() -> None:
    """Drop task-run state chatter (idempotent; a logger holds a filter object once)."""
    logging.getLogger("prefect.task_runs").addFilter(_FILTER)
