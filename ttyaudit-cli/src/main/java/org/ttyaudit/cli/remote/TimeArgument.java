package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.UserError;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the times of {@code --since} and {@code --until}:
 * <ul>
 *   <li>ISO-8601 with an offset: {@code 2026-01-31T12:00:00Z}, {@code 2026-01-31T13:00+01:00};</li>
 *   <li>a local date and time, or a date (midnight), in the user's time zone: {@code 2026-01-31T12:00},
 *       {@code 2026-01-31 12:00}, {@code 2026-01-31};</li>
 *   <li>a time ago: a number and a unit, {@code s}, {@code m}/{@code min}, {@code h}, {@code d}, {@code w}
 *       ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1w}; "ago" may follow);</li>
 *   <li>{@code now}, {@code today}, {@code yesterday} (midnight, local).</li>
 * </ul>
 * Stateless; "now" and the zone are given, so results are exact in tests.
 */
public final class TimeArgument {
    private static final Pattern AGO = Pattern.compile(
            "(\\d{1,9})\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)(\\s+ago)?");

    private TimeArgument() {
    }

    /**
     * @param option the option's name, for the error message
     * @throws UserError (usage) listing the accepted forms when {@code text} is none of them
     */
    public static Instant parse(String text, String option, Clock clock, ZoneId zone) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        switch (t) {
            case "now":
                return now;
            case "today":
                return LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
            case "yesterday":
                return LocalDate.ofInstant(now, zone).minusDays(1).atStartOfDay(zone).toInstant();
            default:
                break;
        }
        Matcher m = AGO.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2).charAt(0)) {
                case 's' -> Duration.ofSeconds(1);
                case 'm' -> Duration.ofMinutes(1);
                case 'h' -> Duration.ofHours(1);
                case 'd' -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        String iso = text.trim().replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) +(\\d)", "$1T$2");
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException ignored) {
            // not with an offset: try the local forms
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException ignored) {
            // not an instant
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        throw UserError.usage(option + ": cannot read '" + text + "' as a time; use ISO-8601 "
                + "(2026-01-31T12:00:00Z, or 2026-01-31T12:00 / 2026-01-31 in your time zone), a time ago "
                + "(30s, 15m, 1h, 2d, 1w) or now, today, yesterday");
    }
}
