package org.ttyaudit.server.notify;

/**
 * Sends notifications to one target over its protocol. Each target's notifier is used by that target's one
 * delivery thread, so implementations need not be thread-safe, except {@link #close()}, which the dispatcher may
 * call from another thread to end a send that hangs.
 */
interface Notifier extends AutoCloseable {

    /**
     * Sends one notice; returns when the receiver has it (as far as the protocol can tell: a 2xx answer for a
     * webhook, the bytes written to the connection for syslog).
     *
     * @throws DeliveryException when it was not delivered (to be tried again later)
     * @throws InterruptedException when the dispatcher is closing
     */
    void deliver(AlertNotice notice) throws DeliveryException, InterruptedException;

    /** Releases connections; a send in progress fails. */
    @Override
    void close();
}
