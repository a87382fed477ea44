package org.ttyaudit.gateway.relay;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.Session;

import java.util.function.Supplier;

/** A channel factory for one channel type: the gateway's replacements for MINA's and its additions. */
record NamedChannelFactory(String name, Supplier<Channel> make) implements ChannelFactory {
    @Override
    public String getName() {
        return name;
    }

    @Override
    public Channel createChannel(Session session) {
        return make.get();
    }
}
