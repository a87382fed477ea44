package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.ChannelPipedInputStream;

import java.io.IOException;

/**
 * The {@code auth-agent@openssh.com} channel the gateway opens to a user's client, which connects it to the user's
 * agent (OpenSSH does so only when the user asked for agent forwarding). Plain streams: {@link #getInvertedIn} to
 * the agent, {@link #getInvertedOut} from it.
 */
final class UserAgentChannel extends AbstractClientChannel {
    private ChannelPipedInputStream fromAgent;

    UserAgentChannel() {
        super(AgentRelay.CHANNEL_TYPE);
    }

    @Override
    protected void doOpen() throws IOException {
        invertedIn = new ChannelOutputStream(this, getRemoteWindow(), log, SshConstants.SSH_MSG_CHANNEL_DATA, true);
        fromAgent = new ChannelPipedInputStream(this, getLocalWindow());
        invertedOut = fromAgent;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        fromAgent.receive(data, off, (int) len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("an agent channel carries no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        if (fromAgent != null) {
            fromAgent.eof();
        }
    }
}
