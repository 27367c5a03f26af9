"""The registry as a service definition: what it stores, serves and publishes.

Wiring only: each feature's repositories, its service, routers, consumers and jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from boyin_registry.attachments import api as attachments_api
from boyin_registry.attachments import consumers as attachments_consumers
from boyin_registry.attachments.orphans import OrphanSweep
from boyin_registry.attachments.repository import AttachmentHolds, AttachmentRecords, LocalFileStore
from boyin_registry.attachments.service import Attachments
from boyin_registry.demands import api as demands_api
from boyin_registry.demands import consumers as demand_consumers
from boyin_registry.demands.repository import Demands, ScreeningResults
from boyin_registry.demands.service import DemandCommands, DemandScreenings
from boyin_registry.imports import api as imports_api
from boyin_registry.imports.repository import ImportJobs
from boyin_registry.imports.service import Importer
from boyin_registry.notifications import api as notifications_api
from boyin_registry.notifications import consumers as notifications_consumers
from boyin_registry.notifications.announcements import Announcements
from boyin_registry.notifications.domain import Channel
from boyin_registry.notifications.repository import (
    Keys,
    Mailbox,
    Notifications,
    PreferenceBook,
)
from boyin_registry.notifications.service import (
    Directory,
    Links,
    NotificationSettings,
    Notifier,
    Sender,
)
from boyin_registry.notifications.smtp import SmtpChannel
from boyin_registry.privacy import api as privacy_api
from boyin_registry.privacy import consumers as privacy_consumers
from boyin_registry.privacy.repository import AuditLog, Disclosures
from boyin_registry.privacy.service import Privacy
from boyin_registry.profiles import api as profiles_api
from boyin_registry.profiles.repository import Organisations, Talents
from boyin_registry.profiles.service import Profiles
from boyin_registry.reference import api as reference_api
from boyin_registry.reference.repository import Taxonomy
from boyin_registry.reference.service import ReferenceData
from boyin_shared.clock import utcnow
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

#: how often uploads held by nothing are looked for
ORPHAN_SWEEP_SECONDS = 3600


@dataclass
class RegistryState:
    """What the registry's routers reach through ``request.app.state.service``: one
    service per feature."""

    profiles: Profiles
    demands: DemandCommands
    screenings: DemandScreenings
    reference: ReferenceData
    attachments: Attachments
    #: removes uploads held by nothing after the grace period (also run by tests)
    orphans: OrphanSweep
    privacy: Privacy
    imports: Importer
    notifications: NotificationSettings


def e_mail(ctx: ServiceContext, mailbox: Mailbox) -> Channel:
    """The configured SMTP server, else the embedded mailbox."""
    s = ctx.settings
    if s.smtp_host is None:
        return mailbox
    return SmtpChannel(
        host=s.smtp_host,
        port=s.smtp_port,
        sender=s.smtp_from,
        security=s.smtp_security,
        username=s.smtp_username,
        password=s.smtp_password.get_secret_value() if s.smtp_password else None,
        timeout=s.smtp_timeout_seconds,
    )


async def build(ctx: ServiceContext) -> Built:
    organisations = Organisations(ctx.store, ctx.outbox)
    talents = Talents(ctx.store, ctx.outbox)
    demands = Demands(ctx.store, ctx.outbox)
    for repo in (organisations, talents, demands):
        await repo.prepare()
    demand_commands = DemandCommands(demands, organisations, talents)
    screenings = DemandScreenings(ScreeningResults(ctx.store), demand_commands)

    reference = ReferenceData(Taxonomy(ctx.store, ctx.outbox))
    await reference.prepare()

    audit = AuditLog(ctx.store)
    await audit.prepare()
    privacy = Privacy(talents, Disclosures(ctx.store), audit, demand_commands)

    records = AttachmentRecords(ctx.store)
    await records.prepare()
    holds = AttachmentHolds(ctx.store)
    await holds.prepare()
    files = LocalFileStore(ctx.settings.files_dir or ctx.settings.data_dir / "files")
    attachments = Attachments(
        records,
        files,
        demands,
        ctx.settings.max_upload_mb * 1024 * 1024,
        daily_quota_bytes=ctx.settings.upload_quota_mb_per_day * 1024 * 1024,
    )
    grace = timedelta(hours=ctx.settings.orphan_upload_grace_hours)
    orphans = OrphanSweep(records, files, demands, holds, grace)

    profiles = Profiles(organisations, talents, reference, privacy)
    imports = Importer(demand_commands, profiles, reference.current, ImportJobs(ctx.store))
    notifications, mailbox = Notifications(ctx.store), Mailbox(ctx.store)
    await notifications.prepare()
    await mailbox.prepare()
    secret = ctx.settings.unsubscribe_secret
    key = secret.get_secret_value().encode() if secret else await Keys(ctx.store).unsubscribe_key()
    preferences = PreferenceBook(ctx.store)
    notifier = Notifier(
        notifications,
        preferences,
        Directory(talents, organisations, demands),
        Links(ctx.settings.public_url, key),
    )
    channel = e_mail(ctx, mailbox)
    sender = Sender(notifications, {channel.name: channel})
    interval = ctx.settings.notify_interval_seconds
    return Built(
        state=RegistryState(
            profiles=profiles,
            demands=demand_commands,
            screenings=screenings,
            reference=reference,
            attachments=attachments,
            orphans=orphans,
            privacy=privacy,
            imports=imports,
            notifications=NotificationSettings(
                preferences, key, mailbox if channel is mailbox else None
            ),
        ),
        background=[
            every(3600, lambda: demand_commands.expire_due(utcnow().date()), "expire demands"),
            every(ORPHAN_SWEEP_SECONDS, orphans.run, "remove orphan uploads"),
            lambda: sender.run(interval),
        ],
        subscriptions=[
            privacy_consumers.subscription(privacy),
            notifications_consumers.subscription(Announcements(notifier, audit)),
            demand_consumers.subscription(screenings),
            attachments_consumers.subscription(holds),
        ],
        outbox_collections=[organisations.collection, talents.collection, demands.collection],
        on_stop=imports.stop,
    )


definition = ServiceDefinition(
    name="registry",
    title="Boyin registry",
    description="Talents, organisations, their demands and the reference data.",
    routers=[
        profiles_api.router,
        privacy_api.router,
        demands_api.router,
        reference_api.router,
        attachments_api.router,
        imports_api.router,
        notifications_api.router,
    ],
    build=build,
)
