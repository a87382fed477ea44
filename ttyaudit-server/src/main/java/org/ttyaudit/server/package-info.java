/**
 * The audit server: collects sessions from recorders and gateways (ingest with commit points), keeps them in a
 * store (SPI; SQLite embedded by default) with chunk payloads in a blob store (SPI; a local directory by
 * default), proves integrity with a signed Merkle ledger, searches them and controls who may see what.
 */
package org.ttyaudit.server;
