package org.ttyaudit.server.ingest;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.SessionEndInfo;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.testkit.ManualClock;
import org.ttyaudit.server.testkit.RecordedSession;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A session is live while its recorder is heard from, incomplete once it falls silent without an end. */
class RecorderContactTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final RecorderContact contact = new RecorderContact(clock);
    private final RecordedSession recorded = new RecordedSession("alice", "web-1");

    private SessionRecord stored(SessionEndInfo end) {
        return new SessionRecord(recorded.header, new byte[0], new byte[32], "host-1", 0, clock.instant(), -1,
                new byte[32], 0, 0, clock.instant(), end, null, 0, null);
    }

    @Test
    void aSessionHeardFromRecentlyIsLiveAndASilentOneIncomplete() {
        SessionRecord s = stored(null);
        assertThat(contact.state(s)).as("never heard since the server started").isEqualTo(RecorderContact.State.INCOMPLETE);
        contact.heard(s.id(), false);
        assertThat(contact.state(s)).isEqualTo(RecorderContact.State.LIVE);
        clock.advance(RecorderContact.SILENCE);
        assertThat(contact.state(s)).as("exactly at the bound").isEqualTo(RecorderContact.State.LIVE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(contact.state(s)).isEqualTo(RecorderContact.State.INCOMPLETE);
        contact.heard(s.id(), false);   // its recorder is back (a heartbeat after a network outage)
        assertThat(contact.state(s)).isEqualTo(RecorderContact.State.LIVE);
    }

    @Test
    void anEndedSessionIsEndedWhateverWasHeard() {
        var end = recorded.end();
        SessionRecord s = stored(new SessionEndInfo(recorded.id(), end.end(), end.chunkCount(), end.eventCount(),
                end.finalHash(), end.hash(), end.toBytes(), 1));
        contact.heard(s.id(), true);
        assertThat(contact.state(s)).isEqualTo(RecorderContact.State.ENDED);
        assertThat(contact.state(s).wireName()).isEqualTo("ended");
    }
}
