package org.ttyaudit.gateway.relay;

import org.ttyaudit.gateway.record.ChannelRecording;

/**
 * Finds the file-transfer protocol in a channel (the {@code sftp} subsystem, a legacy {@code scp -t}/{@code -f}
 * exec) and gives a tap that turns its bytes into file events of the channel's record. Such a channel's bytes
 * are file content, so they are not stored as terminal input and output: the record keeps the file events
 * (operation, path, size, SHA-256).
 */
public interface FileTaps {
    /** The tap for a subsystem channel, or null when the subsystem carries no file protocol we know. */
    Tap forSubsystem(String name, ChannelRecording recording);

    /** The tap for an exec channel, or null when the command is not a file-transfer protocol we know. */
    Tap forExec(String commandLine, ChannelRecording recording);

    /** Sees both directions of a channel; never throws into the relay. */
    interface Tap {
        void fromClient(byte[] b, int off, int len);

        void fromServer(byte[] b, int off, int len);

        /** The channel ended: what is still open is reported. */
        void close();
    }
}
