package org.ttyaudit.server.cluster;

import java.util.Set;
import java.util.UUID;

/** {@link Coordination#single()}: one instance, which leads and has nobody to talk to. */
final class SingleInstance implements Coordination {
    static final SingleInstance INSTANCE = new SingleInstance();

    private SingleInstance() {
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Leadership leadership() {
        return Leadership.ALONE;
    }

    @Override
    public void listen(Listener listener) {
        // nobody else commits, watches or asks
    }

    @Override
    public void start() {
        // nothing to connect to
    }

    @Override
    public void announceWatched(Set<UUID> sessions) {
        // nobody else ingests
    }

    @Override
    public void announceHeard(Set<UUID> sessions) {
        // nobody else shows sessions
    }

    @Override
    public void requestSigning() {
        // this instance is the leader: it signs itself
    }

    @Override
    public void close() {
        // nothing held
    }
}
