package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.server.channel.ChannelSession;

import java.io.IOException;

/**
 * A user's session channel (shell, exec, subsystem): MINA's own, remembering what became of an agent forwarding
 * request ({@link AgentRelay#GRANTED}) so that the relay knows whether to forward the agent on this channel and
 * the record can say it was granted or refused. The decision itself is the {@link ForwardingGuard}'s.
 */
final class SessionChannel extends ChannelSession {
    static ChannelFactory factory() {
        return new NamedChannelFactory("session", SessionChannel::new);
    }

    @Override
    protected RequestHandler.Result handleAgentForwardingParsed(String requestType) throws IOException {
        RequestHandler.Result result = super.handleAgentForwardingParsed(requestType);
        setAttribute(AgentRelay.GRANTED, result == RequestHandler.Result.ReplySuccess);
        return result;
    }
}
