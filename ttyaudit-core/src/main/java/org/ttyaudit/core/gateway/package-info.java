/**
 * The SSH gateway's access model, shared by the audit server (which serves it) and the gateway (which enforces it):
 * {@link org.ttyaudit.core.gateway.GatewayPolicy} (targets, groups, allow rules) and
 * {@link org.ttyaudit.core.gateway.SshPublicKey} (users' registered keys).
 */
package org.ttyaudit.core.gateway;
