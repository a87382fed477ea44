package org.ttyaudit.server.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture.Response;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-site request forgery against a real server: a state-changing request that rides on the login cookie
 * needs this server's Origin; a Bearer request (what command-line clients send) does not; reads are not affected.
 */
class OriginCheckTest {
    @TempDir
    Path dir;
    private ServerFixture server;
    private String cookie;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        cookie = server.admin();   // the login token is the cookie's value
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Response createToken(String origin, boolean viaCookie) throws Exception {
        HttpRequest.Builder b = server.request("/api/v1/tokens", viaCookie ? null : cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\"}"));
        if (viaCookie) {
            b.header("Cookie", ApiServer.SESSION_COOKIE + "=" + cookie);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return server.send(b.build());
    }

    @Test
    void aCookieRequestFromAnotherSiteIsRefused() throws Exception {
        Response r = createToken("https://evil.example", true);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).contains("cross-site request refused")
                .contains("https://evil.example");
        assertThat(server.get("/api/v1/tokens", cookie).json()).as("nothing was created").isEmpty();
    }

    @Test
    void aCookieRequestWithoutOriginIsRefused() throws Exception {
        Response r = createToken(null, true);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).contains("needs an Origin header");
    }

    @Test
    void aCookieRequestFromThisServersOwnPageIsAccepted() throws Exception {
        assertThat(createToken(server.base, true).status()).isEqualTo(201);
        assertThat(createToken(server.base.toUpperCase(java.util.Locale.ROOT).replace("HTTPS", "https"), true)
                .status()).as("origins compare case-insensitively").isEqualTo(201);
    }

    @Test
    void bearerRequestsAndReadsNeedNoOrigin() throws Exception {
        assertThat(createToken(null, false).status()).isEqualTo(201);
        Response read = server.send(server.request("/api/v1/sessions", null)
                .header("Cookie", ApiServer.SESSION_COOKIE + "=" + cookie).GET().build());
        assertThat(read.status()).isEqualTo(200);
    }

    @Test
    void aLoginPostedByAnotherSiteIsRefusedButAClientWithoutOriginLogsIn() throws Exception {
        HttpRequest forged = server.request("/api/v1/login", null).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(ServerFixture.JSON.writeValueAsString(Map.of(
                        "name", "admin", "password", ServerFixture.ADMIN_PASSWORD)))).build();
        assertThat(server.send(forged).status()).isEqualTo(403);
        assertThat(server.login("admin", ServerFixture.ADMIN_PASSWORD)).startsWith("tts_");
    }

    @Test
    void theOriginOfAUrlIsSchemeHostAndPort() {
        assertThat(OriginCheck.normalize("https://Audit.Example:443/ui/")).isEqualTo("https://audit.example");
        assertThat(OriginCheck.normalize("https://audit.example:8443")).isEqualTo("https://audit.example:8443");
        assertThat(OriginCheck.normalize("null")).isNull();
        assertThat(OriginCheck.normalize("https://user@audit.example")).isNull();
    }
}
