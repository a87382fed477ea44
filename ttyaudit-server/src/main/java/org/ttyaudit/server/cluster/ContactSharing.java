package org.ttyaudit.server.cluster;

import org.ttyaudit.server.ingest.RecorderContact;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares {@link RecorderContact} between instances, so that a session whose recorder talks to one instance shows
 * as live on all: every {@link #EVERY} this instance names the sessions whose recorders it heard since the last
 * time, and it counts the sessions the others name, and those they committed to, as heard. The period is far
 * below {@link RecorderContact#SILENCE}, so a session never turns incomplete on one instance while another hears
 * its recorder.
 */
public final class ContactSharing implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final RecorderContact contact;
    private final Coordination coordination;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ttyaudit-contact-sharing");
        t.setDaemon(true);
        return t;
    });

    public ContactSharing(RecorderContact contact, Coordination coordination) {
        this.contact = contact;
        this.coordination = coordination;
    }

    public ContactSharing start() {
        contact.shareWithOtherInstances();
        coordination.listen(new Coordination.Listener() {
            @Override
            public void recordersHeardElsewhere(Set<UUID> sessions) {
                sessions.forEach(contact::heardElsewhere);
            }

            @Override
            public void committedElsewhere(Set<UUID> sessions) {
                sessions.forEach(contact::heardElsewhere);
            }
        });
        scheduler.scheduleWithFixedDelay(this::announce, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void announce() {
        Set<UUID> heard = contact.drainHeardHere();
        if (!heard.isEmpty()) {
            coordination.announceHeard(heard);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
