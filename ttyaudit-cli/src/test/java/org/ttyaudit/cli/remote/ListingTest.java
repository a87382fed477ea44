package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListingTest {
    @Test
    void theNextPageCommandRepeatsTheArgumentsWithTheNewCursorQuotedForAShell() {
        assertThat(Listing.nextPageCommand(List.of("ttyaudit", "search", "rm -rf", "--cursor", "old", "--limit",
                "5", "--cursor=older"), "abc=="))
                .isEqualTo("ttyaudit search 'rm -rf' --limit 5 --cursor abc==");
        assertThat(Listing.nextPageCommand(List.of("ttyaudit", "search", "it's"), "c"))
                .isEqualTo("ttyaudit search 'it'\\''s' --cursor c");
    }

    @Test
    void durationsAreShortAndExact() {
        assertThat(DurationText.of(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(DurationText.of(Duration.ofSeconds(303))).isEqualTo("5m03s");
        assertThat(DurationText.of(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(DurationText.of(Duration.ofHours(76))).isEqualTo("3d04h");
        assertThat(DurationText.of(Duration.ofSeconds(-5))).isEqualTo("0s");
    }
}
