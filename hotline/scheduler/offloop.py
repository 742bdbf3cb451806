"""AsyncIOScheduler with its job-store I/O in a worker thread, never on the event loop.

APScheduler 3's job store is synchronous. On the event loop, a store write that waits for a
lock (SQLite has one for the whole file) would stop the loop, and with it the asyncio
transaction holding that lock: a deadlock until the busy timeout. So the scheduler's
bookkeeping runs in a thread and only the jobs (coroutines) run on the loop.
"""

import asyncio
import logging
import sys
from concurrent.futures import Future
from typing import Any

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.executors.base import run_coroutine_job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_STOPPED

log = logging.getLogger(__name__)
RETRY_AFTER_STORE_ERROR = 5.0


class LoopExecutor(AsyncIOExecutor):  # type: ignore[misc]
    """Runs coroutine jobs on the loop, whichever thread submits them."""

    def _do_submit_job(self, job: Any, run_times: Any) -> None:
        coro = run_coroutine_job(job, job._jobstore_alias, run_times, self._logger.name)
        future = asyncio.run_coroutine_threadsafe(coro, self._eventloop)

        def done(f: "Future[Any]") -> None:
            self._pending_futures.discard(f)
            try:
                events = f.result()
            except BaseException:
                self._run_job_error(job.id, *sys.exc_info()[1:])
            else:
                self._run_job_success(job.id, events)

        self._pending_futures.add(future)
        future.add_done_callback(done)


class OffLoopScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """Wakes on the loop, processes due jobs (store reads and writes) in a worker thread."""

    _processing = False
    _again = False

    def wakeup(self) -> None:
        """Safe from any thread."""
        if self._eventloop is not None:
            self._eventloop.call_soon_threadsafe(self._wake_on_loop)

    def _wake_on_loop(self) -> None:
        self._stop_timer()
        if self.state == STATE_STOPPED or self._eventloop is None:
            return
        if self._processing:  # one pass at a time; another follows this one
            self._again = True
            return
        self._processing = True
        self._eventloop.run_in_executor(None, self._process_jobs).add_done_callback(
            self._processed)

    def _processed(self, future: "asyncio.Future[float | None]") -> None:
        self._processing = False
        try:
            wait = future.result()
        except BaseException:
            log.exception("scheduler pass failed; trying again in %ss", RETRY_AFTER_STORE_ERROR)
            wait = RETRY_AFTER_STORE_ERROR
        if self.state == STATE_STOPPED or self._eventloop is None:
            return
        if self._again:
            self._again = False
            self._wake_on_loop()
            return
        self._start_timer(wait)

    def _create_default_executor(self) -> LoopExecutor:
        return LoopExecutor()
