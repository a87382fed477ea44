package org.ttyaudit.server.api;

import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Path and query parameters, parsed with errors that name the parameter. Stateless. */
final class Params {
    static final int DEFAULT_LIMIT = 50;

    private Params() {
    }

    static UUID sessionId(Context ctx) {
        return sessionIdOf(ctx.pathParam("id"));
    }

    /** A session id from its text. @throws ApiException 400 naming the text */
    static UUID sessionIdOf(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("not a session id: " + text);
        }
    }

    static Instant instant(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": not an ISO-8601 instant such as 2026-01-31T12:00:00Z: " + text);
        }
    }

    static long number(Context ctx, String name, long defaultValue) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            if (defaultValue < 0) {
                throw ApiException.badRequest(name + " is required");
            }
            return defaultValue;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": not a number: " + text);
        }
    }

    static int limit(Context ctx) {
        long limit = number(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("limit must be between 1 and 1000");
        }
        return (int) limit;
    }

    /** {@code true} or {@code false}; null when absent. */
    static Boolean bool(Context ctx, String name) {
        String text = text(ctx, name);
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest(name + ": expected true or false, not " + text);
        };
    }

    static String text(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null || text.isBlank() ? null : text;
    }
}
