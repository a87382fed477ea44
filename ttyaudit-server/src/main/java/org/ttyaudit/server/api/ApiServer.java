package org.ttyaudit.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.web.WebAssets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTPS server: Javalin on Jetty 12 with one TLS connector, the API's route groups, authentication of every
 * {@code /api/v1} request, JSON errors, {@code /healthz}, {@code /metrics} and the OpenAPI document.
 *
 * <p>Authentication: {@code Authorization: Bearer <token>} (an API token {@code tta_}, a web session
 * {@code tts_} or a host credential {@code tth_}), or the web session cookie. The few endpoints that take no
 * credential (log in, enroll, the OpenAPI document) say so themselves. Cross-site requests that ride on the
 * cookie, and WebSocket upgrades from other sites, are refused by {@link OriginCheck}. The web UI's files are
 * served at {@code /} ({@link WebAssets}).
 */
public final class ApiServer implements AutoCloseable {

    /** Resolves a presented secret to who presented it, or empty when it is unknown, expired or revoked. */
    @FunctionalInterface
    public interface CredentialResolver {
        Optional<Principal> resolve(String secret);
    }

    public static final String SESSION_COOKIE = "ttyaudit_session";

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final List<String> OPEN_PATHS = List.of("/api/v1/login", "/api/v1/enroll",
            "/api/v1/openapi.yaml");

    private final Javalin app;

    /**
     * @param keyStore holds the server's certificate chain and key, protected by
     *                 {@code keyPassword}
     */
    public ApiServer(InetSocketAddress listen, KeyStore keyStore, char[] keyPassword, CredentialResolver credentials,
                     Store store, PrometheusRegistry metrics, List<? extends Object> routeGroups, WebAssets web,
                     java.util.function.Supplier<String> publicUrl) {
        OriginCheck origins = new OriginCheck(publicUrl);
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = IngestRoutes.MAX_BODY;
            config.startup.showJavalinBanner = false;
            config.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, listen, keyStore,
                    keyPassword));
            config.routes.before("/api/v1/*", ctx -> origins.checkRequest(ctx, authenticate(ctx, credentials)));
            // WebSocket upgrades do not pass the HTTP before-handlers
            config.routes.wsBeforeUpgrade("/api/v1/*", ctx -> {
                authenticate(ctx, credentials);
                origins.checkUpgrade(ctx);
            });
            config.routes.get("/healthz", ctx -> health(ctx, store));
            config.routes.get("/metrics", ctx -> metrics(ctx, metrics));
            config.routes.get("/api/v1/openapi.yaml", ApiServer::openApi);
            for (Object group : routeGroups) {
                ((Routes) group).register(config.routes);
            }
            web.register(config.routes);   // last: it takes the paths no API route took
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
            });
            config.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (ctx.attribute(WebAssets.ANSWERED) == null
                        && (type == null || !type.startsWith("application/json"))) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(413, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    error(ctx, 413, "the body is larger than the " + IngestRoutes.MAX_BODY + " bytes a request may"
                            + " have");
                }
            });
        });
    }

    public void start() {
        app.start();
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
                                                InetSocketAddress listen, KeyStore keyStore, char[] keyPassword) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(keyPassword));
        ssl.setKeyManagerPassword(new String(keyPassword));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        // The default SNI check refuses clients that connect by IP address to a certificate that also names
        // hosts; recorders pin the certificate's fingerprint instead of relying on names.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(listen.getHostString());
        connector.setPort(listen.getPort());
        return connector;
    }

    /** Sets the caller; returns whether the credential presented came from the cookie. */
    private static boolean authenticate(Context ctx, CredentialResolver credentials) {
        String secret = presentedSecret(ctx);
        Optional<Principal> p = secret == null ? Optional.empty() : credentials.resolve(secret);
        if (p.isPresent()) {
            Caller.set(ctx, p.get());
        } else if (!OPEN_PATHS.contains(ctx.path())) {
            throw ApiException.unauthorized(secret == null
                    ? "authentication required: send Authorization: Bearer <token>"
                    : "unknown, expired or revoked credential");
        }
        // An open endpoint takes a stale credential as none: a browser keeps sending the cookie of a login
        // session that ended, and must still be able to log in again.
        return p.isPresent() && ctx.header("Authorization") == null;
    }

    private static String presentedSecret(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ApiException.unauthorized("the Authorization header must be: Bearer <token>");
            }
            return header.substring(7).trim();
        }
        return ctx.cookie(SESSION_COOKIE);
    }

    private static void health(Context ctx, Store store) {
        try {
            store.ledger().size();
            Json.write(ctx, 200, Map.of("status", "ok"));
        } catch (RuntimeException e) {
            Json.write(ctx, 503, Map.of("status", "unavailable", "error", String.valueOf(e.getMessage())));
        }
    }

    private static void metrics(Context ctx, PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.DEFAULT);
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }

    private static void openApi(Context ctx) throws IOException {
        try (InputStream in = ApiServer.class.getResourceAsStream("/org/ttyaudit/server/api/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the jar");
            }
            ctx.contentType("application/yaml").result(in.readAllBytes());
        }
    }

    static void error(Context ctx, int status, String message) {
        Json.write(ctx, status, Map.of("error", message));
        if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
            // A refused WebSocket upgrade: Javalin keeps the result of its exception handler but never writes
            // it (the upgrade path has no result step), so the client would get the status with an empty body.
            try (InputStream body = ctx.resultInputStream()) {
                if (body != null) {
                    ctx.res().getOutputStream().write(body.readAllBytes());
                    ctx.res().flushBuffer();
                }
            } catch (IOException e) {
                log.debug("could not send the refusal of a WebSocket upgrade: {}", e.toString());
            }
        }
    }
}
