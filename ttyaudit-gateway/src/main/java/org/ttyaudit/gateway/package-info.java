/**
 * The SSH gateway: terminates users' SSH connections, opens its own connection to the target host, relays
 * everything between the two and records it through the recorder's session log, spool and uploader.
 */
package org.ttyaudit.gateway;
