"""Notifications, pure: templates in both languages, the meeting's .ics, preference rules,
the unsubscribe token, and delivery's retry rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from boyin_registry.notifications.domain import (
    MAX_ATTEMPTS,
    Message,
    Notification,
    Preferences,
    Status,
    backoff,
    may_manage,
    message_id,
    notification_id,
    read_unsubscribe_token,
    unsubscribe_token,
)
from boyin_registry.notifications.templates import (
    Party,
    Slot,
    Text,
    agreement,
    demand,
    meeting,
    meeting_ics,
    mutual_match,
    proposals,
    render,
)
from boyin_shared.api.registry import MailLanguage, NotificationKind
from boyin_shared.identity import Actor, Role
from tests.registry.support import has_cjk

KEY = b"k" * 32
URL = "https://boyin.example/unsubscribe?token=abc"
START = datetime(2026, 5, 20, 6, 0, tzinfo=UTC)  # 14:00 in Chongqing
SLOT = Slot(START, START + timedelta(minutes=20), table=7, video_link=None)
ACME = Party(Text("重庆某某科技", "Acme Chongqing"), ("联系人甲 · hr@acme.cn · +86 23 1",))


def test_both_languages_in_one_message_chinese_first_each_with_its_unsubscribe_line() -> None:
    letter = demand("returned", Text("固态电池中试", "Solid-state battery pilot"), "补充预算")
    subject, text = render(letter, MailLanguage.BOTH, URL)
    assert subject == "您的需求被退回修改 | Your demand was returned for changes"
    zh, en = text.split("==== English ====")
    assert "“固态电池中试”" in zh and "审核意见：补充预算" in zh and URL in zh
    assert "“Solid-state battery pilot”" in en and "Reviewer's note: 补充预算" in en
    assert "Unsubscribe in one click: " + URL in en


def test_one_language_when_the_reader_chose_it() -> None:
    letter = demand("published", Text("固态电池中试", "Solid-state battery pilot"), None)
    zh_subject, zh = render(letter, MailLanguage.ZH, URL)
    en_subject, en = render(letter, MailLanguage.EN, URL)
    assert zh_subject == "您的需求已发布" and "English" not in zh and "Sign in" not in zh
    assert en_subject == "Your demand is published" and not has_cjk(en.replace(URL, ""))


def test_a_mutual_match_carries_the_counterparts_contacts() -> None:
    _, text = render(mutual_match(ACME, Text("储能", "Energy storage")), MailLanguage.BOTH, URL)
    assert text.count("联系人甲 · hr@acme.cn · +86 23 1") == 2
    assert "重庆某某科技" in text and "Acme Chongqing" in text


def test_proposals_name_the_counterparts_for_the_demands_owner() -> None:
    names = [ACME, Party(Text("两江研究院", "Liangjiang Institute"))]
    subject, text = render(
        proposals(Text("储能", "Storage"), names, own_demand=True), MailLanguage.EN, URL
    )
    assert subject == "2 new matches"
    assert "Acme Chongqing, Liangjiang Institute" in text
    assert "hr@acme.cn" not in text  # contacts only after a mutual yes


def test_a_moved_meeting_says_when_it_was_and_when_it_is_in_the_fairs_time() -> None:
    later = Slot(START + timedelta(hours=1), START + timedelta(hours=1, minutes=20), 3, None)
    _, text = render(meeting("moved", ACME, later, SLOT), MailLanguage.BOTH, URL)
    assert "2026-05-20 15:00–15:20 (UTC+08:00)" in text
    assert "原定 2026-05-20 14:00–14:20" in text and "(was 2026-05-20 14:00–14:20" in text
    assert "3 号桌" in text and "table 3" in text


def test_a_meeting_off_the_timetable_and_a_cancelled_one() -> None:
    _, off = render(meeting("moved", ACME, None, SLOT), MailLanguage.EN, URL)
    assert "taken off the timetable" in off
    subject, cancelled = render(meeting("cancelled", ACME, SLOT, None), MailLanguage.EN, URL)
    assert subject == "Meeting cancelled: Acme Chongqing" and "14:00–14:20" in cancelled


def test_an_agreements_stage_change_names_both_stages() -> None:
    subject, text = render(
        agreement(Text("储能合作", "Storage deal"), "NEGOTIATING", "SIGNED", None),
        MailLanguage.BOTH,
        URL,
    )
    assert subject == "合作协议进展：已签约 | Agreement update: signed"
    assert "由“洽谈中”变为“已签约”" in text and "moved from negotiating to signed" in text


def test_the_ics_is_one_event_a_calendar_updates_in_place() -> None:
    stamp = datetime(2026, 5, 1, tzinfo=UTC)

    def ics(sequence: int, cancelled: bool) -> icalendar.Calendar:
        return icalendar.Calendar.from_ical(
            meeting_ics(
                uid="ed_1.mtg_1@boyin",
                sequence=sequence,
                slot=SLOT,
                summary=Text("会谈", "Meeting"),
                cancelled=cancelled,
                stamp=stamp,
            )
        )

    request, cancel = ics(3, False), ics(4, True)
    assert str(request["method"]) == "REQUEST" and str(cancel["method"]) == "CANCEL"
    [event] = request.walk("VEVENT")
    assert str(event["uid"]) == "ed_1.mtg_1@boyin" and int(str(event["sequence"])) == 3
    assert event.decoded("dtstart") == START and event.decoded("dtend") == SLOT.end
    assert "table 7" in str(event["location"])
    [cancelled] = cancel.walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED" and str(cancelled["uid"]) == "ed_1.mtg_1@boyin"


# -- preferences ------------------------------------------------------------------------


def test_everything_in_both_languages_until_a_party_says_otherwise() -> None:
    prefs = Preferences.default("tal_1")
    assert all(prefs.wants(k) for k in NotificationKind)
    assert prefs.language is MailLanguage.BOTH


def test_unsubscribing_from_one_kind_keeps_the_others_and_from_all_keeps_none() -> None:
    prefs = Preferences.default("tal_1").without(NotificationKind.PROPOSAL)
    assert not prefs.wants(NotificationKind.PROPOSAL) and prefs.wants(NotificationKind.MEETING)
    assert not any(prefs.without(None).wants(k) for k in NotificationKind)
    assert prefs.without(None).language is MailLanguage.BOTH


def test_who_manages_a_partys_preferences() -> None:
    assert may_manage(Actor("a", Role.TALENT, party_id="tal_1"), "tal_1")
    assert not may_manage(Actor("a", Role.TALENT, party_id="tal_2"), "tal_1")
    assert not may_manage(Actor("a", Role.DISTRICT_OFFICER, district_code="500103"), "tal_1")
    assert may_manage(Actor("a", Role.OPERATOR), "tal_1")


def test_an_unsubscribe_token_names_who_and_what_and_cannot_be_forged() -> None:
    token = unsubscribe_token("tal_1", NotificationKind.MEETING, KEY)
    assert read_unsubscribe_token(token, KEY) == ("tal_1", NotificationKind.MEETING)
    assert read_unsubscribe_token(unsubscribe_token("tal_1", None, KEY), KEY) == ("tal_1", None)
    assert read_unsubscribe_token(token, b"x" * 32) is None
    body, _, sig = token.partition(".")
    other = unsubscribe_token("tal_2", NotificationKind.MEETING, KEY).partition(".")[0]
    assert read_unsubscribe_token(f"{other}.{sig}", KEY) is None
    assert read_unsubscribe_token(body, KEY) is None
    assert read_unsubscribe_token("not a token", KEY) is None


# -- delivery ---------------------------------------------------------------------------


def _pending() -> Notification:
    now = datetime(2026, 5, 1, tzinfo=UTC)
    nid = notification_id("ev_1", "tal_1", "email")
    message = Message(message_id(nid, "boyin.example"), ("a@b.cn",), "s", "t")
    return Notification(
        nid, NotificationKind.DEMAND, "tal_1", "email", message, Status.PENDING, 0, now, now
    )


def test_the_key_and_message_id_depend_only_on_event_recipient_and_channel() -> None:
    assert notification_id("ev_1", "tal_1", "email") == "ev_1:tal_1:email"
    assert message_id("ev_1:tal_1:email", "x.cn") == message_id("ev_1:tal_1:email", "x.cn")
    assert message_id("ev_1:tal_1:email", "x.cn") != message_id("ev_1:tal_2:email", "x.cn")
    assert message_id("ev_1:tal_1:email", "x.cn").endswith("@x.cn>")


def test_a_failure_is_retried_later_with_doubling_backoff_then_given_up() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (5, 10, 20)]
    assert backoff(30) == timedelta(hours=1)
    n, now = _pending(), datetime(2026, 5, 1, 1, tzinfo=UTC)
    once = n.failed("451 later", now)
    assert once.status is Status.PENDING and once.attempts == 1
    assert once.next_at == now + timedelta(seconds=5) and once.last_error == "451 later"
    for _ in range(MAX_ATTEMPTS - 1):
        once = once.failed("451 later", now)
    assert once.status is Status.FAILED and once.attempts == MAX_ATTEMPTS
    sent = n.sent(now)
    assert sent.status is Status.SENT and sent.sent_at == now and sent.attempts == 1
