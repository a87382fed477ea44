package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;

/** A group of API endpoints that registers itself; the API server wires the groups together. */
interface Routes {
    void register(RoutesConfig routes);
}
