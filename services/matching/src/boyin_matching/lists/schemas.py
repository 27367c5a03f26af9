"""The rematch job and the demands with no good match yet as the API shows them
(``boyin_shared.api.matching.JobOut``, ``NoGoodMatchOut``)."""

from __future__ import annotations

from boyin_matching.lists.domain import RematchJob
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import JobOut, JobState, NoGoodMatchOut


def job_out(job: RematchJob) -> JobOut:
    return JobOut(state=job.state.value, total=job.total, done=job.done, error=job.error)


def started_out(job: RematchJob) -> JobOut:
    """The answer to starting the job: running (it may have just been started)."""
    return JobOut(state=JobState.RUNNING.value, total=job.total, done=job.done, error=None)


def no_good_match_out(profile: Profile, best: float | None) -> NoGoodMatchOut:
    return NoGoodMatchOut(
        demand_id=profile.demand_id,
        channel=profile.channel,
        owner_id=profile.owner_id,
        best_score=best,
    )
