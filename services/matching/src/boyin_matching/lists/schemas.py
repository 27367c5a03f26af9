"""The rematch job as the API shows it (``boyin_shared.api.matching.JobOut``)."""

from __future__ import annotations

from boyin_matching.lists.domain import RematchJob
from boyin_shared.api.matching import JobOut, JobState


def job_out(job: RematchJob) -> JobOut:
    return JobOut(state=job.state.value, total=job.total, done=job.done, error=job.error)


def started_out(job: RematchJob) -> JobOut:
    """The answer to starting the job: running (it may have just been started)."""
    return JobOut(state=JobState.RUNNING.value, total=job.total, done=job.done, error=None)
