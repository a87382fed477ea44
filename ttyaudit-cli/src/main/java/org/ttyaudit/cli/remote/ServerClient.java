package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.transport.PinnedTls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Talks to one ttyaudit server's HTTP API: JSON requests and byte downloads, authenticated with an API or login
 * token, over TLS that pins the server's certificate ({@link PinnedTls}). Its one job is to turn every way a
 * request can fail into a {@link ServerException} with one clear line:
 * <ul>
 *   <li>no answer: the server cannot be reached, does not answer in time, or shows the wrong certificate (both
 *       fingerprints named, from {@link PinnedTls#describeFailure});</li>
 *   <li>401 with a token: "not logged in or the token expired: run ttyaudit login";</li>
 *   <li>401 without one (a login), 403, 404 and the rest: the server's own {@code {"error": …}} message.</li>
 * </ul>
 * The token is sent only in the {@code Authorization} header and never appears in a message.
 *
 * <p>Thread-safe (the JDK's {@link HttpClient} is). Blocking calls; a request times out after
 * {@link #REQUEST_TIMEOUT} without response headers.
 */
public final class ServerClient {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final String url;
    private final String token;
    private final HttpClient http;

    /**
     * @param url   the server's base URL ({@link ServerUrl})
     * @param tls   how the certificate is checked
     * @param token the bearer token, or null for requests that need none (login)
     */
    public ServerClient(String url, PinnedTls tls, String token) {
        this.url = ServerUrl.normalize(url);
        this.token = token;
        this.http = tls.configure(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A client for {@code target}, with its token (if any). */
    public static ServerClient of(ServerTarget target) {
        return new ServerClient(target.url(), tls(target.fingerprint()), target.token());
    }

    /** The same server and TLS settings with another token. */
    public ServerClient withToken(String otherToken) {
        return new ServerClient(url, this, otherToken);
    }

    private ServerClient(String url, ServerClient settings, String token) {
        this.url = url;
        this.token = token;
        this.http = settings.http;
    }

    public String url() {
        return url;
    }

    /** GET {@code path} with the non-null {@code query} parameters; the JSON answer. */
    public JsonNode getJson(String path, Map<String, String> query) {
        HttpResponse<InputStream> r = send(request(path + queryString(query)).GET().build());
        return readJson(r, path);
    }

    /** POST a JSON body; the JSON answer, or null when the server answers with no content (204). */
    public JsonNode postJson(String path, byte[] jsonBody) {
        HttpResponse<InputStream> r = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody)).build());
        return r.statusCode() == 204 ? drain(r) : readJson(r, path);
    }

    /** DELETE {@code path}. */
    public void delete(String path) {
        drain(send(request(path).DELETE().build()));
    }

    /** GET {@code path} and write the bytes of the answer into the existing file {@code into} (truncated first). */
    public void download(String path, Path into) {
        HttpResponse<InputStream> r = send(request(path).GET().build());
        try (InputStream in = r.body();
             OutputStream out = Files.newOutputStream(into, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new ServerException(0, "the download of " + path + " from " + url + " broke off: " + reason(e));
        }
    }

    static PinnedTls tls(String fingerprint) {
        return PinnedTls.of(fingerprint);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/vnd.ttyaudit.record, */*");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String queryString(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }

    /** Sends; a response that is not 2xx is read, closed and thrown as a {@link ServerException}. */
    private HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, "interrupted while waiting for " + url);
        } catch (IOException e) {
            throw new ServerException(0, transportFailure(e));
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return r;
        }
        String error = errorText(r);
        throw new ServerException(status, switch (status) {
            case 401 -> token != null ? "not logged in or the token expired: run ttyaudit login --server " + url
                    : error == null ? "the server refused the credentials (401)" : error;
            case 403 -> "the server refused: " + (error == null ? "forbidden (403)" : error);
            case 404 -> error == null ? "not found on " + url + ": " + request.uri().getRawPath() : error;
            default -> "the server at " + url + " answered " + status + (error == null ? "" : ": " + error);
        });
    }

    private String transportFailure(IOException e) {
        var tls = PinnedTls.describeFailure(e);
        if (tls.isPresent()) {
            return "cannot connect securely to " + url + ": " + tls.get();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot reach the server at " + url + ": no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "the server at " + url + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "cannot reach the server at " + url + ": unknown host " + URI.create(url).getHost();
            }
        }
        if (e instanceof ConnectException) {
            String why = reason(e);
            return "cannot reach the server at " + url + ": " + (why.isEmpty() ? "connection refused" : why);
        }
        return "cannot talk to the server at " + url + ": " + reason(e);
    }

    private static JsonNode readJson(HttpResponse<InputStream> r, String path) {
        try (InputStream in = r.body()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new ServerException(0, "the server's answer to " + path + " is not JSON: " + reason(e));
        }
    }

    private static JsonNode drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the request succeeded; a broken empty body changes nothing
        }
        return null;
    }

    /** The server's {@code {"error": …}} message (or the start of a non-JSON body), made safe to print. */
    private static String errorText(HttpResponse<InputStream> r) {
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return null;
        }
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return SafeText.of(n.get("error").asText());
            }
        } catch (IOException e) {
            // not JSON: show the text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? null : SafeText.of(text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }

    /** The most specific message in a cause chain. */
    static String reason(Throwable e) {
        String last = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                last = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return last;
    }
}
