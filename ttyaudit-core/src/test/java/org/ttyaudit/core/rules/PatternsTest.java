package org.ttyaudit.core.rules;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The building blocks of conditions: globs, path globs, client address patterns, time windows. */
class PatternsTest {

    @Test
    void globsMatchTheWholeText() {
        Glob g = Glob.of("db-[0-9]?", false);
        assertThat(g.matches("db-1a")).isTrue();
        assertThat(g.matches("db-1")).isFalse();
        assertThat(g.matches("xdb-1a")).isFalse();
        assertThat(Glob.of("psql *", false).matches("psql -h /var/run/x")).isTrue();
        assertThat(Glob.of("[!a]*", false).matches("bob")).isTrue();
        assertThat(Glob.of("[!a]*", false).matches("alice")).isFalse();
        assertThat(Glob.of("a.b(c)+", false).matches("a.b(c)+")).isTrue();
        assertThatThrownBy(() -> Glob.of("db-[1", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.of("x\\", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathGlobsStopAtSlashesUnlessDoubled() {
        assertThat(Glob.of("/etc/*", true).matches("/etc/nginx")).isTrue();
        assertThat(Glob.of("/etc/*", true).matches("/etc/nginx/x")).isFalse();
        assertThat(Glob.of("/etc/**", true).matches("/etc/nginx/x")).isTrue();
        assertThat(Glob.of("/\\*", true).matches("/*")).isTrue();
        assertThat(Glob.of("/\\*", true).matches("/etc")).isFalse();
        assertThat(FileCondition.compile("~/.ssh/authorized_keys")).extracting(g -> g.matches("/home/bob/.ssh/"
                + "authorized_keys") || g.matches("/root/.ssh/authorized_keys")).containsExactly(true, true);
        assertThatThrownBy(() -> FileCondition.compile("etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientAddressesByCidrAddressOrGlob() {
        assertThat(AddressPattern.of("10.0.0.0/8").matches("10.200.3.4")).isTrue();
        assertThat(AddressPattern.of("10.0.0.0/8").matches("11.0.0.1")).isFalse();
        assertThat(AddressPattern.of("0.0.0.0/0").matches("8.8.8.8")).isTrue();
        assertThat(AddressPattern.of("fd00::/8").matches("fd12::1")).isTrue();
        assertThat(AddressPattern.of("fd00::/8").matches("10.0.0.1")).isFalse();
        assertThat(AddressPattern.of("192.168.1.7").matches("192.168.1.7")).isTrue();
        assertThat(AddressPattern.of("192.168.*").matches("192.168.1.7")).isTrue();
        assertThat(AddressPattern.of("10.0.0.0/8").matches(null)).isFalse();
        assertThat(AddressPattern.of("10.0.0.0/8").matches("not-an-address")).isFalse();
        assertThatThrownBy(() -> AddressPattern.of("10.0.0.0/40")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPattern.of("10.0.0.256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPattern.of("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeWindowsWrapPastMidnightAndCheckTheDay() {
        TimeWindow night = new TimeWindow(LocalTime.of(22, 0), LocalTime.of(6, 0), Set.of(), ZoneOffset.UTC);
        assertThat(night.contains(Instant.parse("2026-12-05T23:30:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-12-05T05:59:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-12-05T06:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-12-05T12:00:00Z"))).isFalse();
        TimeWindow weekend = new TimeWindow(null, null, Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                ZoneOffset.ofHours(2));
        assertThat(weekend.contains(Instant.parse("2026-12-05T12:00:00Z"))).isTrue();    // Saturday
        assertThat(weekend.contains(Instant.parse("2026-12-04T22:30:00Z"))).isTrue();    // Saturday 00:30 at +02
        assertThat(weekend.contains(Instant.parse("2026-12-07T12:00:00Z"))).isFalse();   // Monday
    }
}
