"""Beijing time: the one clock every deadline, call and log line is read on."""

from datetime import UTC, date, datetime, time, timedelta, timezone

from kernel.errors import DateOutOfRange, TimezoneRequired

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)


def require_aware(moment: datetime, *, field: str = "at") -> datetime:
    """Refuse a naive datetime: a deadline needs to know whose midnight it is."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TimezoneRequired(
            f"{field} has no time zone; give one, e.g. 2026-03-02T10:00:00+08:00",
            field=field, value=moment.isoformat(),
        )
    return moment


def beijing(moment: datetime) -> datetime:
    """The same instant on Beijing's clock."""
    try:
        return require_aware(moment).astimezone(BEIJING)
    except OverflowError:
        raise out_of_range(moment) from None


def utc(moment: datetime) -> datetime:
    """The same instant in UTC, as the database stores it."""
    try:
        return require_aware(moment).astimezone(UTC)
    except OverflowError:
        raise out_of_range(moment) from None


def out_of_range(moment: datetime, field: str = "at") -> DateOutOfRange:
    """The refusal of a date the calendar (years 1 to 9999, in UTC too) cannot reach."""
    return DateOutOfRange(
        f"{field} {moment.isoformat()} is too close to the years 1 or 9999 to count from",
        field=field, value=moment.isoformat())


def end_of_day(day: date) -> datetime:
    """23:59:59 of ``day``, Beijing time (民法典 第二百零三条: a period ends at 24:00)."""
    return datetime.combine(day, END_OF_DAY, tzinfo=BEIJING)


def now() -> datetime:
    """The current instant, aware."""
    return datetime.now(BEIJING)
