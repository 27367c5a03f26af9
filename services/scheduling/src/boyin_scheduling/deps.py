"""What the routers receive from the running service."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from boyin_scheduling.application import Scheduling


def scheduling(request: Request) -> Scheduling:
    return cast(Scheduling, request.app.state.service.scheduling)


App = Annotated[Scheduling, Depends(scheduling)]
