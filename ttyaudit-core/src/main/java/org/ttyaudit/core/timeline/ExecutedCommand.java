package org.ttyaudit.core.timeline;

import org.ttyaudit.core.model.CommandSource;

import java.time.Instant;

/**
 * A command as the user ran it: what {@code ttyaudit commands} lists.
 *
 * @param exitCode  null when unknown (screen-reconstructed commands, a session that ended mid-command)
 * @param endedAt   null when the end was not observed
 * @param cwd       null when unknown
 */
public record ExecutedCommand(long commandId, String command, String cwd, Integer exitCode, Instant startedAt,
                              Instant endedAt, CommandSource source, long startOffsetMicros) {
}
