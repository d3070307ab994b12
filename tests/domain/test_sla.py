from datetime import UTC, date, datetime, time, timedelta

import pytest

from desk_app.domain.sla import BusinessCalendar, BusinessTimeline, SlaClock, SlaTargets

MSK = "Europe/Moscow"
office = BusinessCalendar.weekdays(time(9), time(18), timezone=MSK, holidays=[date(2026, 11, 4)])


def msk(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BusinessCalendar(timezone=MSK).zone)


def test_first_response_due_skips_the_weekend() -> None:
    # Friday 17:30 Moscow + 1 business hour = Monday 09:30.
    friday = msk(2026, 11, 20, 17, 30)
    due = office.add(friday, 3600)
    assert due == msk(2026, 11, 23, 9, 30)
    assert office.between(friday, due) == 3600


def test_holiday_is_not_business_time() -> None:
    # 4 November (National Unity Day) is a Wednesday holiday.
    tuesday_evening = msk(2026, 11, 3, 17, 0)
    assert office.add(tuesday_evening, 2 * 3600) == msk(2026, 11, 5, 10, 0)


def test_time_outside_hours_counts_from_next_opening() -> None:
    saturday = msk(2026, 11, 21, 12, 0)
    assert office.add(saturday, 60) == msk(2026, 11, 23, 9, 1)
    assert office.between(saturday, msk(2026, 11, 22, 23, 0)) == 0


def test_between_is_antisymmetric_and_handles_utc_inputs() -> None:
    a = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)  # 09:00 Moscow
    b = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # 11:00 Moscow
    assert office.between(a, b) == 7200
    assert office.between(b, a) == -7200


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        office.add(datetime(2026, 11, 16, 10, 0), 60)


def test_pending_pauses_the_resolution_clock_without_losing_time() -> None:
    targets = SlaTargets(first_response_minutes=60, resolution_minutes=8 * 60)
    start = msk(2026, 11, 16, 9, 0)  # Monday 09:00
    clock = SlaClock.start(start, targets, office)
    assert clock.resolution_due == msk(2026, 11, 16, 17, 0)
    clock = clock.record_first_response(msk(2026, 11, 16, 9, 20))
    assert clock.first_response_due is None
    # Two business hours pass, then the ticket waits on the customer until Wednesday.
    clock = clock.pause(msk(2026, 11, 16, 11, 0), office)
    assert clock.paused and clock.next_due is None
    assert clock.resolution_consumed == 2 * 3600
    clock = clock.resume(msk(2026, 11, 18, 9, 0), office)
    # Six business hours remain.
    assert clock.resolution_due == msk(2026, 11, 18, 15, 0)


def test_stop_clears_deadlines_and_time_left_goes_negative_when_overdue() -> None:
    targets = SlaTargets(first_response_minutes=30, resolution_minutes=60)
    start = msk(2026, 11, 16, 9, 0)
    clock = SlaClock.start(start, targets, office)
    left = clock.time_left(msk(2026, 11, 16, 10, 0), office)
    assert left == pytest.approx(-30 * 60)
    stopped = clock.stop(msk(2026, 11, 16, 10, 0), office)
    assert stopped.next_due is None and stopped.time_left(start, office) is None


def test_twenty_four_seven_calendar_counts_wall_time() -> None:
    always = BusinessCalendar.twenty_four_seven()
    saturday = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    assert always.add(saturday, 3600) == saturday + timedelta(hours=1)


@pytest.mark.parametrize(
    "calendar",
    [
        BusinessCalendar.weekdays(
            time(9), time(18), timezone="Europe/Moscow", holidays=[date(2026, 11, 4)]
        ),
        BusinessCalendar(
            timezone="Asia/Yekaterinburg",
            hours={0: ((time(8), time(12)), (time(13), time(17))), 5: ((time(10), time(14)),)},
        ),
        BusinessCalendar.twenty_four_seven(),
    ],
)
def test_timeline_agrees_with_walking_the_calendar(calendar: BusinessCalendar) -> None:
    """The list page's bisecting timeline gives exactly what walking the calendar gives, for
    deadlines before and after now: inside windows, in gaps, on boundaries, across a holiday."""
    now = datetime(2026, 11, 5, 10, 17, 3, tzinfo=UTC)  # Thursday, the day after a holiday
    span = timedelta(days=21)
    timeline = BusinessTimeline(calendar, now, span)
    moments = [now + timedelta(minutes=37 * k) for k in range(-800, 801)]
    moments += [datetime(2026, 11, d, h, tzinfo=UTC) for d in range(1, 20) for h in (5, 6, 15)]
    for moment in moments:
        assert timeline.seconds_until(moment) == pytest.approx(calendar.between(now, moment))
    if not calendar.always_open:  # past its span the timeline refuses instead of guessing
        with pytest.raises(ValueError):
            timeline.seconds_until(now + span + timedelta(seconds=1))
