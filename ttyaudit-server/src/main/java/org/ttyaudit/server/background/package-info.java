/**
 * Background work the server does after ingest commits: the life cycle of a worker that takes a store's backlog
 * in bounded rounds ({@link org.ttyaudit.server.background.RoundWorker}).
 */
package org.ttyaudit.server.background;
