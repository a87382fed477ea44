package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.util.buffer.Buffer;

import java.io.IOException;

/**
 * The channel requests MINA has no call for: {@code signal} (RFC 4254 6.9: the user pressed a key that sends a
 * signal, or the client asked for one) toward the target, and {@code exit-signal} (6.10: the remote command was
 * killed by a signal) toward the user. Neither asks for a reply.
 */
final class ChannelRequests {
    private ChannelRequests() {
    }

    /** Sends {@code signal} with the name without "SIG" ({@code INT}, {@code TERM} …). */
    static void signal(Channel channel, String name) throws IOException {
        Buffer b = request(channel, "signal", name.length() + 16);
        b.putString(name);
        channel.writePacket(b);
    }

    /** Sends {@code exit-signal}: the signal's name without "SIG", no core dump, an empty message. */
    static void exitSignal(Channel channel, String name) throws IOException {
        Buffer b = request(channel, "exit-signal", name.length() + 32);
        b.putString(name);
        b.putBoolean(false);
        b.putString("");
        b.putString("");
        channel.writePacket(b);
    }

    private static Buffer request(Channel channel, String type, int size) {
        Buffer b = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, size + type.length() + 16);
        b.putUInt(channel.getRecipient());
        b.putString(type);
        b.putBoolean(false);
        return b;
    }
}
