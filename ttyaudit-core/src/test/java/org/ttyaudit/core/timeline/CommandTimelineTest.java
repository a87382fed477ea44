package org.ttyaudit.core.timeline;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.OutputEvent;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTimelineTest {
    private static final Instant START = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void pairsStartAndEndByIdAndKeepsStartOrder() {
        CommandTimeline t = new CommandTimeline(START);
        t.accept(new CommandStartEvent(1_000_000, 0, "bash", "/home/a", CommandSource.SHELL_INTEGRATION));
        t.accept(new CommandStartEvent(2_000_000, 1, "ls -l", "/tmp", CommandSource.SCREEN));
        t.accept(new OutputEvent(2_100_000, new byte[] {'x'}));
        t.accept(new CommandEndEvent(3_500_000, 0, 7));

        assertThat(t.commands()).containsExactly(
                new ExecutedCommand(0, "bash", "/home/a", 7, START.plusSeconds(1), START.plusMillis(3500),
                        CommandSource.SHELL_INTEGRATION, 1_000_000),
                new ExecutedCommand(1, "ls -l", "/tmp", null, START.plusSeconds(2), null, CommandSource.SCREEN,
                        2_000_000));
    }

    @Test
    void endWithoutStartIsIgnored() {
        CommandTimeline t = new CommandTimeline(START);
        t.accept(new CommandEndEvent(5, 42, 0));
        assertThat(t.commands()).isEmpty();
    }
}
