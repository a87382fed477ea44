package org.ttyaudit.core.timeline;

import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the command-start and command-end events of one session into {@link ExecutedCommand}s, in start order.
 * Feed it the session's events in order; not thread-safe.
 */
public final class CommandTimeline {
    private final Instant sessionStart;
    private final List<ExecutedCommand> commands = new ArrayList<>();
    private final Map<Long, Integer> indexById = new HashMap<>();

    public CommandTimeline(Instant sessionStart) {
        this.sessionStart = sessionStart;
    }

    public void accept(Event event) {
        if (event instanceof CommandStartEvent s) {
            indexById.put(s.commandId(), commands.size());
            commands.add(new ExecutedCommand(s.commandId(), s.commandLine(), s.cwd(), null, at(s.offsetMicros()),
                    null, s.source(), s.offsetMicros()));
        } else if (event instanceof CommandEndEvent e) {
            Integer index = indexById.remove(e.commandId());
            if (index != null) {
                ExecutedCommand c = commands.get(index);
                commands.set(index, new ExecutedCommand(c.commandId(), c.command(), c.cwd(), e.exitCode(),
                        c.startedAt(), at(e.offsetMicros()), c.source(), c.startOffsetMicros()));
            }
        }
    }

    public List<ExecutedCommand> commands() {
        return List.copyOf(commands);
    }

    private Instant at(long offsetMicros) {
        return sessionStart.plusNanos(offsetMicros * 1000);
    }
}
