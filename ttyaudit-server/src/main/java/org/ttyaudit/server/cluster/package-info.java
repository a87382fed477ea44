/**
 * Several server instances sharing one store (docs/ARCHITECTURE.md, "Several instances"): which instance leads
 * the fleet-wide background work ({@link org.ttyaudit.server.cluster.Leadership}) and how instances tell each
 * other what they committed and which sessions they watch ({@link org.ttyaudit.server.cluster.Coordination}).
 * The embedded store has one instance: {@link org.ttyaudit.server.cluster.Coordination#single()}.
 */
package org.ttyaudit.server.cluster;
