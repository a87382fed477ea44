/**
 * Forwarding to log pipelines (docs/FORWARDING.md): one ordered feed of what the server accepted
 * ({@link org.ttyaudit.server.forwarding.ForwardFeed}: the ledger's leaves in order, with every signed tree head
 * after the leaves it covers), mapped to Elastic Common Schema documents
 * ({@link org.ttyaudit.server.forwarding.EcsMapper}), delivered by one
 * {@link org.ttyaudit.server.forwarding.ForwarderWorker} per configured forwarder with a durable cursor in the
 * store (at least once; a restart resumes from the cursor). Receivers plug in as
 * {@link org.ttyaudit.server.forwarding.Forwarder}s: syslog (RFC 5424 over TCP/TLS), Splunk HEC, Fluentd forward,
 * Elasticsearch/OpenSearch {@code _bulk}.
 */
package org.ttyaudit.server.forwarding;
