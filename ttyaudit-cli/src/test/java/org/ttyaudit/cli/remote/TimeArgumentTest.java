package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;
import org.ttyaudit.cli.UserError;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeArgumentTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:30:00Z"), ZoneId.of("UTC"));
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Instant parse(String text) {
        return TimeArgument.parse(text, "--since", NOW, BERLIN);
    }

    @Test
    void readsTimesAgo() {
        assertThat(parse("90s")).isEqualTo("2026-11-25T12:28:30Z");
        assertThat(parse("15m")).isEqualTo("2026-11-25T12:15:00Z");
        assertThat(parse("15min")).isEqualTo("2026-11-25T12:15:00Z");
        assertThat(parse("1h")).isEqualTo("2026-11-25T11:30:00Z");
        assertThat(parse("2 days ago")).isEqualTo("2026-11-23T12:30:00Z");
        assertThat(parse("1W")).isEqualTo("2026-11-18T12:30:00Z");
        assertThat(parse("now")).isEqualTo("2026-11-25T12:30:00Z");
    }

    @Test
    void readsIsoTimesWithOffsetsAndLocalTimesInTheUsersZone() {
        assertThat(parse("2026-01-31T12:00:00Z")).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(parse("2026-01-31T13:00+01:00")).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(parse("2026-01-31T12:00")).isEqualTo("2026-01-31T11:00:00Z");   // Berlin is UTC+1 in winter
        assertThat(parse("2026-07-31 12:00:30")).isEqualTo("2026-07-31T10:00:30Z");   // and UTC+2 in summer
        assertThat(parse("2026-01-31")).isEqualTo("2026-01-30T23:00:00Z");
        assertThat(parse("today")).isEqualTo("2026-11-24T23:00:00Z");
        assertThat(parse("yesterday")).isEqualTo("2026-11-23T23:00:00Z");
    }

    @Test
    void anythingElseIsAUsageErrorListingTheForms() {
        assertThatThrownBy(() -> parse("2026-13-01")).isInstanceOf(UserError.class)
                .hasMessageContaining("--since: cannot read '2026-13-01' as a time")
                .hasMessageContaining("2026-01-31T12:00:00Z").hasMessageContaining("1h");
        assertThatThrownBy(() -> parse("5 fortnights")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> parse("-1h")).isInstanceOf(UserError.class);
    }
}
