package org.ttyaudit.core.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * A time-of-day condition: between {@code from} (inclusive) and {@code to} (exclusive), a window that wraps past
 * midnight when {@code from} is later than {@code to} ({@code 22:00}–{@code 06:00}); and/or on some days of the
 * week (the day at the moment of the event, in {@code zone}). Null {@code from}/{@code to} mean "all day"; an empty
 * {@code days} means every day. Immutable.
 */
record TimeWindow(LocalTime from, LocalTime to, Set<DayOfWeek> days, ZoneId zone) {
    TimeWindow {
        if ((from == null) != (to == null)) {
            throw new IllegalArgumentException("give both from and to, or neither");
        }
        if (from != null && from.equals(to)) {
            throw new IllegalArgumentException("from and to are the same time: the window would be empty");
        }
        days = Set.copyOf(days);
    }

    boolean contains(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        if (!days.isEmpty() && !days.contains(local.getDayOfWeek())) {
            return false;
        }
        if (from == null) {
            return true;
        }
        LocalTime t = local.toLocalTime();
        return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
    }
}
