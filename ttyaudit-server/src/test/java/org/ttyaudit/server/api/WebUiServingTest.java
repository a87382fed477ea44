package org.ttyaudit.server.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.web.WebAssets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's files from a real server: {@code /} is index.html, types and caching are right, every answer
 * carries the security headers, and no path leaves the UI's folder. The UI here is a small one under
 * src/test/resources (the real one is built by the ttyaudit-web module).
 */
class WebUiServingTest {
    private static final String TEST_UI = "/org/ttyaudit/server/web/testui/";

    @TempDir
    Path dir;
    private ServerFixture server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRootIsIndexHtmlAndFilesHaveTheirTypes() throws Exception {
        server = new ServerFixture(dir.resolve("data"), TEST_UI);
        Response index = server.get("/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.text()).contains("ttyaudit test UI");
        assertThat(type(index)).isEqualTo("text/html;charset=utf-8");
        assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
        assertSecurityHeaders(index);

        Response script = server.get("/app/main.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(type(script)).isEqualTo("text/javascript;charset=utf-8");
        assertSecurityHeaders(script);
        assertThat(type(server.get("/app.css", null))).isEqualTo("text/css;charset=utf-8");
        assertThat(server.get("/vendor/player/player.js", null).status()).isEqualTo(200);
        assertThat(server.get("/index.html", null).text()).isEqualTo(index.text());
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        server = new ServerFixture(dir.resolve("data"), TEST_UI);
        String etag = server.get("/app/main.js", null).header("ETag");
        assertThat(etag).startsWith("\"");
        Response again = server.send(server.request("/app/main.js", null).header("If-None-Match", etag).build());
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void unknownFilesAndPathsOutsideTheFolderAre404() throws Exception {
        server = new ServerFixture(dir.resolve("data"), TEST_UI);
        for (String path : new String[]{"/nope.js", "/app/", "/app", "/app/../../secret/secret.txt",
                "/app/%2e%2e/%2e%2e/secret/secret.txt", "/..%2fsecret/secret.txt", "/.hidden.js",
                "/app/main.js%00.css", "/app%5cmain.js", "/org/ttyaudit/server/web/secret/secret.txt"}) {
            Response r = server.get(path, null);
            assertThat(r.status()).as(path).isIn(400, 404);
            assertThat(r.text()).as(path).doesNotContain("not part of the UI");
        }
        Response missing = server.get("/nope.js", null);
        assertThat(missing.text()).contains("not found: /nope.js");
        assertSecurityHeaders(missing);
    }

    @Test
    void theApiKeepsItsOwnJson404() throws Exception {
        server = new ServerFixture(dir.resolve("data"), TEST_UI);
        Response r = server.get("/api/v1/no-such-thing", server.admin());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("no such endpoint");
        assertThat(server.get("/healthz", null).json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aServerWithoutTheUiSaysSo() throws Exception {
        server = new ServerFixture(dir.resolve("data"), "/org/ttyaudit/server/web/no-ui-here/");
        Response r = server.get("/", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains("the web UI is not built into this server");
        assertSecurityHeaders(r);
    }

    /** The content type without spaces (Jetty writes {@code text/html;charset=utf-8}). */
    private static String type(Response r) {
        return r.header("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static void assertSecurityHeaders(Response r) {
        assertThat(r.header("Content-Security-Policy")).isEqualTo(WebAssets.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
