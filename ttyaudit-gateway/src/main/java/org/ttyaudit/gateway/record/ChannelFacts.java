package org.ttyaudit.gateway.record;

import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.gateway.GatewayAccess;

import java.util.List;
import java.util.Objects;

/**
 * What is known about one relayed SSH channel when it starts: who, from where, to which target, and what the
 * client asked for.
 *
 * @param user          the gateway user who authenticated
 * @param groups        the user's groups as the policy knows them (a tag rules can match)
 * @param clientAddress the user's client address (IP)
 * @param route         the target and remote user
 * @param kind          {@code shell}, {@code exec} or the subsystem's name ({@code sftp})
 * @param commandLine   the exec request's command line; null for a shell or subsystem
 * @param term          TERM from the pty request; null without a pty
 * @param cols          terminal size from the pty request (a sane default when the client sent 0)
 * @param rows          ditto
 * @param echoOff       whether the client's pty request turned echo off
 * @param capture       what the record keeps: the capture policy of the user's sessions on the target
 */
public record ChannelFacts(String user, List<String> groups, String clientAddress, GatewayAccess.Route route,
                           String kind, String commandLine, String term, int cols, int rows, boolean echoOff,
                           CapturePolicy capture) {
    public ChannelFacts {
        groups = List.copyOf(groups);
        Objects.requireNonNull(capture, "capture");
    }

    public boolean pty() {
        return term != null;
    }
}
