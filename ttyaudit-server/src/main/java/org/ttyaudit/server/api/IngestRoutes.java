package org.ttyaudit.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.ttyaudit.server.auth.AccessPolicy;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.ingest.InflightBytes;
import org.ttyaudit.server.ingest.IngestException;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.CommitPoint;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ingest.RecorderContact;
import org.ttyaudit.server.live.LiveHub;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The ingest endpoints of docs/INGEST.md: commit point and frames, for enrolled hosts only. */
final class IngestRoutes implements Routes {
    static final String CONTENT_TYPE = "application/vnd.ttyaudit.frames";
    static final long MAX_BODY = 80L * 1024 * 1024;
    /** Request bytes held at once by all ingest requests together (docs/INGEST.md: at most 80 MiB each). */
    static final long INFLIGHT_BUDGET = 256L * 1024 * 1024;
    private static final long BUDGET_WAIT_MILLIS = 10_000;

    private final IngestService ingest;
    private final IngestMetrics metrics;
    private final InflightBytes inflight = new InflightBytes(INFLIGHT_BUDGET);
    private final LiveHub live;
    private final RecorderContact contact;

    IngestRoutes(IngestService ingest, IngestMetrics metrics, LiveHub live, RecorderContact contact) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.live = live;
        this.contact = contact;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/ingest/sessions/{id}", this::commitPoint);
        routes.post("/api/v1/ingest/sessions/{id}", this::frames);
        routes.exception(IngestException.class, (e, ctx) -> refused(ctx, e));
    }

    private void commitPoint(Context ctx) {
        Principal host = Caller.require(ctx, AccessPolicy.Action.INGEST, null);
        UUID id = Params.sessionId(ctx);
        CommitPoint point = ingest.commitPoint(id, host.id());
        contact.heard(id, point.ended());
        Json.write(ctx, 200, Views.commitPoint(point, live.flushWithinMillis(id)));
    }

    private void frames(Context ctx) throws IOException, InterruptedException {
        try {
            Principal host = Caller.require(ctx, AccessPolicy.Action.INGEST, null);
            String type = ctx.contentType();
            if (type == null || !type.split(";")[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
                throw new ApiException(415, "the body must be " + CONTENT_TYPE + ", not " + type);
            }
            if (ctx.contentLength() > MAX_BODY) {
                throw tooLarge(ctx.contentLength() + " bytes");
            }
            UUID sessionId = Params.sessionId(ctx);
            long declared = ctx.contentLength() < 0 ? MAX_BODY : ctx.contentLength();
            try (InflightBytes.Reservation room = inflight.reserve(declared, BUDGET_WAIT_MILLIS)) {
                if (room == null) {
                    throw new ApiException(503, "the server is busy storing other sessions; retry later");
                }
                byte[] body = body(ctx);
                CommitPoint point = ingest.ingest(sessionId, host.id(), body);
                contact.heard(sessionId, point.ended());
                Json.write(ctx, 200, Views.commitPoint(point, live.flushWithinMillis(sessionId)));
            }
        } catch (ApiException e) {
            metrics.refused();   // refused here, before the ingest service (which counts its own refusals)
            throw e;
        }
    }

    /**
     * The body, read up to one byte over the limit: a body sent without Content-Length (chunked) is refused as soon
     * as it passes the limit, with the same JSON error as an announced one (Javalin's own limit answers plain
     * text).
     */
    private static byte[] body(Context ctx) throws IOException {
        byte[] body = ctx.req().getInputStream().readNBytes((int) MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw tooLarge("more than " + MAX_BODY + " bytes");
        }
        return body;
    }

    private static ApiException tooLarge(String size) {
        return new ApiException(413, "the body has " + size + "; at most " + MAX_BODY
                + " bytes are accepted per request");
    }

    private static void refused(Context ctx, IngestException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("commit", e.commitPoint() == null ? null : Views.commitPoint(e.commitPoint()));
        Json.write(ctx, e.problem().status(), body);
    }
}
