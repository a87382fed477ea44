package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * A channel the peer opened that the gateway relays as a plain byte stream (a port forward, an agent connection):
 * what the peer sends is read from {@link #incoming} (the window is released as it is read, so a slow reader holds
 * the peer back), what the gateway sends goes through {@link #outgoing} (which waits for the peer's window).
 */
abstract class PipedChannel extends AbstractServerChannel {
    private volatile ChannelPipedInputStream incoming;

    PipedChannel() {
        super("", List.of(), null);
    }

    /** What the peer sends; made on the first call (call it in {@code doInit}, before data can arrive). */
    final ChannelPipedInputStream incoming() {
        if (incoming == null) {
            incoming = new ChannelPipedInputStream(this, getLocalWindow());
        }
        return incoming;
    }

    /** A stream to the peer; closing it sends EOF. */
    final ChannelOutputStream outgoing() {
        return new ChannelOutputStream(this, getRemoteWindow(), LoggerFactory.getLogger(getClass()),
                SshConstants.SSH_MSG_CHANNEL_DATA, true);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        incoming().receive(data, off, (int) len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("a " + getClass().getSimpleName() + " carries no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        ChannelPipedInputStream in = incoming;
        if (in != null) {
            in.eof();
        }
    }
}
