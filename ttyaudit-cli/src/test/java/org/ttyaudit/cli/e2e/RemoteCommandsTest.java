package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.cli.e2e.ServerUnderTest.Run;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.cli.e2e.ServerUnderTest.JSON;
import static org.ttyaudit.cli.e2e.ServerUnderTest.cli;
import static org.ttyaudit.cli.e2e.ServerUnderTest.homeEnvironment;

/**
 * The commands that work against a server (login, logout, sessions, search, and play/commands/export by session
 * id), run through {@code Main.run} against a real server in this JVM holding three sessions ingested by an
 * enrolled host.
 */
class RemoteCommandsTest {
    @TempDir
    static Path shared;

    static ServerUnderTest server;
    static RecordedSession aliceWeb;
    static RecordedSession bobDb;
    static RecordedSession aliceDb;
    /** The sessions as the API lists them (newest first). */
    static List<String> listedIds;

    @TempDir
    Path home;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServerWithSessions() throws Exception {
        server = new ServerUnderTest(shared.resolve("server"));
        String web = server.host("web-1");
        String db = server.host("db-1");
        aliceWeb = new RecordedSession("alice", "web-1");
        aliceWeb.command("cat /etc/passwd", "root:x:0:0:root:/root:/bin/bash", 0);
        aliceWeb.command("make deploy", "deployed", 2);
        server.ingest(web, aliceWeb);
        bobDb = new RecordedSession("bob", "db-1");
        bobDb.command("psql -c 'select 1'", "1 row", 0);
        server.ingest(db, bobDb);
        aliceDb = new RecordedSession("alice", "db-1");
        aliceDb.command("uptime", "10:00 up 3 days", 0);
        server.ingest(db, aliceDb);
        listedIds = new ArrayList<>();
        server.get("/api/v1/sessions", server.admin()).json().get("items")
                .forEach(s -> listedIds.add(s.get("id").asText()));
        assertThat(listedIds).hasSize(3);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // ---- login and logout ------------------------------------------------------------------------------------

    @Test
    void loginWithPasswordStdinChangesTheInitialPasswordAndSavesAPrivateTokenThatWorks() throws Exception {
        server.user("carol", "auditor", "initial password carol");
        Map<String, String> env = homeEnvironment(home);
        Run login = cli(env, "initial password carol\nchosen password carol\nchosen password carol\n", false, tmp,
                "login", "--server", server.url, "--fingerprint", server.fingerprint, "--user", "carol",
                "--password-stdin");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.err()).contains("asks carol to choose a new password");
        assertThat(login.out()).contains("Logged in to " + server.url + " as carol (auditor)");

        Path file = home.resolve(".config/ttyaudit/client.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.list(file.getParent())).containsExactly(file);   // no temporary file left behind
        JsonNode saved = JSON.readTree(file.toFile());
        assertThat(saved.get("server").asText()).isEqualTo(server.url);
        assertThat(saved.get("fingerprint").asText()).isEqualTo(server.fingerprint);
        String token = saved.get("token").asText();
        assertThat(token).startsWith("tta_");
        assertThat(login.out() + login.err()).doesNotContain(token);

        // The saved token works for the other commands, with no flags at all.
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(200);
        Run sessions = cli(env, "", false, tmp, "sessions");
        assertThat(sessions.exitCode()).as(sessions.toString()).isZero();
        assertThat(sessions.out()).contains(aliceWeb.id().toString(), bobDb.id().toString());
        assertThat(sessions.out() + sessions.err()).doesNotContain(token);

        // The new password is now the password; a second login replaces the token and revokes the first one.
        Run again = cli(env, "chosen password carol\n", false, tmp, "login", "--password-stdin");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        String second = JSON.readTree(file.toFile()).get("token").asText();
        assertThat(second).isNotEqualTo(token);
        assertThat(server.get("/api/v1/me", second).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(401);
    }

    @Test
    void loginAsksForThePasswordsOnTheTerminalWithoutEchoingThem() throws Exception {
        server.user("frank", "user", "initial password frank");
        Map<String, String> env = RecordFixture.environment(home, "/bin/sh");
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        try (TerminalSession t = TerminalSession.start(List.of("login", "--server", server.url, "--fingerprint",
                server.fingerprint, "--user", "frank"), env, new WindowSize(80, 24))) {
            t.awaitOutput("Password for frank at " + Pattern.quote(server.url) + ": ");
            t.type("initial password frank\r");
            t.awaitOutput("New password for frank \\(at least 12 characters\\): ");
            t.type("chosen password frank\r");
            t.awaitOutput("Repeat the new password: ");
            t.type("chosen password frank\r");
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
            assertThat(t.output()).contains("Logged in to " + server.url + " as frank (user)")
                    .doesNotContain("initial password frank").doesNotContain("chosen password frank");
        }
        String token = JSON.readTree(home.resolve(".config/ttyaudit/client.json").toFile()).get("token").asText();
        assertThat(server.get("/api/v1/me", token).json().get("name").asText()).isEqualTo("frank");
    }

    @Test
    void aWrongPasswordFailsWithTheServersReasonAndSavesNothing() throws Exception {
        server.user("erin", "user", "initial password erin");
        Run login = cli(homeEnvironment(home), "not the password\n", false, tmp, "login", "--server", server.url,
                "--fingerprint", server.fingerprint, "--user", "erin", "--password-stdin");
        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.err()).startsWith("ttyaudit: login to " + server.url + " as erin failed: ");
        assertThat(home.resolve(".config/ttyaudit/client.json")).doesNotExist();
    }

    @Test
    void loginWithoutATerminalOrPasswordStdinRefusesClearly() {
        Run login = cli(homeEnvironment(home), "", false, tmp, "login", "--server", server.url, "--fingerprint",
                server.fingerprint, "--user", "admin");
        assertThat(login.exitCode()).isEqualTo(2);
        assertThat(login.err()).contains("no terminal to ask for the password on").contains("--password-stdin");
    }

    @Test
    void aWrongFingerprintFailsNamingBothFingerprints() {
        String wrong = "sha256:" + "ab".repeat(32);
        Run login = cli(homeEnvironment(home), "whatever\n", false, tmp, "login", "--server", server.url,
                "--fingerprint", wrong, "--user", "admin", "--password-stdin");
        assertThat(login.exitCode()).isEqualTo(1);
        assertThat(login.err()).contains("cannot connect securely to " + server.url)
                .contains(wrong).contains(server.fingerprint);
        assertThat(home.resolve(".config/ttyaudit/client.json")).doesNotExist();

        // Without a pin the self-signed certificate is not trusted, and the message says how to pin it.
        Run unpinned = cli(homeEnvironment(home), "whatever\n", false, tmp, "login", "--server", server.url,
                "--user", "admin", "--password-stdin");
        assertThat(unpinned.exitCode()).isEqualTo(1);
        assertThat(unpinned.err()).contains(server.fingerprint).contains("--fingerprint");
    }

    @Test
    void logoutRevokesTheTokenSoALaterRequestIsTurnedAway() throws Exception {
        server.user("dave", "auditor", "initial password dave");
        Map<String, String> env = homeEnvironment(home);
        Run login = cli(env, "initial password dave\nchosen password dave\nchosen password dave\n", false, tmp,
                "login", "--server", server.url, "--fingerprint", server.fingerprint, "--user", "dave",
                "--password-stdin");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        Path file = home.resolve(".config/ttyaudit/client.json");
        String token = JSON.readTree(file.toFile()).get("token").asText();

        Run logout = cli(env, "", false, tmp, "logout");
        assertThat(logout.exitCode()).as(logout.toString()).isZero();
        assertThat(logout.out()).contains("Logged out of " + server.url);
        assertThat(file).doesNotExist();

        Run later = cli(server.tokenEnvironment(home, token), "", false, tmp, "sessions");
        assertThat(later.exitCode()).isEqualTo(1);
        assertThat(later.err()).contains("not logged in or the token expired: run ttyaudit login");
        assertThat(later.err()).doesNotContain(token);

        Run twice = cli(env, "", false, tmp, "logout");
        assertThat(twice.exitCode()).isZero();
        assertThat(twice.out()).contains("Not logged in");
        Run withoutLogin = cli(env, "", false, tmp, "sessions");
        assertThat(withoutLogin.exitCode()).isEqualTo(2);
        assertThat(withoutLogin.err()).contains("no server: give --server URL");
    }

    // ---- sessions and search -------------------------------------------------------------------------------

    @Test
    void sessionsListsEverySessionNewestFirstWithItsFacts() throws Exception {
        Run r = cli(env(), "", false, tmp, "sessions");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("USER", "HOST", "CLIENT", "START", "DURATION", "EXIT",
                "CMDS", "STATE");
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split("\\s+")[0])
                .containsExactlyElementsOf(listedIds);
        String web = lines.stream().filter(l -> l.startsWith(aliceWeb.id().toString())).findFirst().orElseThrow();
        assertThat(web.split("\\s{2,}")).containsExactly(aliceWeb.id().toString(), "alice", "web-1", "10.0.0.9",
                "2026-11-25 10:00:00", "5m00s", "0", "2", "ended");
    }

    @Test
    void sessionsFiltersByUserHostAndTime() throws Exception {
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--user", "alice")))
                .containsExactlyInAnyOrder(aliceWeb.id().toString(), aliceDb.id().toString());
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--user", "alice", "--host", "db-1")))
                .containsExactly(aliceDb.id().toString());
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--since", "2026-11-25T09:59:00Z")))
                .hasSize(3);
        // The sessions started at 10:00Z; the test clock says 12:00Z, so "3h" ago is 09:00Z and "1h" is 11:00Z.
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--since", "3h"))).hasSize(3);
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--kind", "recorder"))).hasSize(3);
        Run gateway = cli(env(), "", false, tmp, "sessions", "--kind", "gateway", "--tag", "target_user:root");
        assertThat(gateway.out()).isEmpty();
        assertThat(gateway.err()).contains("no sessions found");
        assertThat(cli(env(), "", false, tmp, "sessions", "--tag", "target_user").exitCode()).isEqualTo(2);
        Run none = cli(env(), "", false, tmp, "sessions", "--since", "1h");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no sessions found");
        assertThat(ids(cli(env(), "", false, tmp, "sessions", "--until", "2026-11-25 10:00"))).isEmpty();

        Run bad = cli(env(), "", false, tmp, "sessions", "--since", "last tuesday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--since: cannot read 'last tuesday' as a time").contains("2d");
    }

    @Test
    void sessionsPagesByCursorAndAllFollowsTheCursors() throws Exception {
        Run first = cli(env(), "", false, tmp, "sessions", "--limit", "1");
        assertThat(ids(first)).containsExactly(listedIds.get(0));
        Matcher m = Pattern.compile("more sessions: (ttyaudit sessions .*--cursor (\\S+))").matcher(first.err());
        assertThat(m.find()).as(first.err()).isTrue();
        assertThat(m.group(1)).startsWith("ttyaudit sessions --limit 1 --cursor ");

        List<String> paged = new ArrayList<>(ids(first));
        String cursor = m.group(2).replace("'", "");
        while (cursor != null) {
            Run next = cli(env(), "", false, tmp, "sessions", "--limit", "1", "--cursor", cursor);
            paged.addAll(ids(next));
            Matcher n = Pattern.compile("--cursor (\\S+)").matcher(next.err());
            cursor = n.find() ? n.group(1).replace("'", "") : null;
        }
        assertThat(paged).containsExactlyElementsOf(listedIds);

        Run all = cli(env(), "", false, tmp, "sessions", "--limit", "1", "--all");
        assertThat(ids(all)).containsExactlyElementsOf(listedIds);
        assertThat(all.err()).doesNotContain("more sessions");

        Run json = cli(env(), "", false, tmp, "sessions", "--json", "--all", "--limit", "2");
        JsonNode doc = JSON.readTree(json.out());
        List<String> jsonIds = new ArrayList<>();
        doc.get("items").forEach(s -> jsonIds.add(s.get("id").asText()));
        assertThat(jsonIds).containsExactlyElementsOf(listedIds);
        assertThat(doc.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void searchFindsACommandAndMarksTheMatch() throws Exception {
        Run r = cli(env(), "", false, tmp, "search", "passwd");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String hit = r.out().lines().filter(l -> l.contains(" command ")).findFirst().orElseThrow();
        assertThat(hit).startsWith(aliceWeb.id() + "  2026-11-25 10:00:").contains("  alice@web-1  command  ")
                .endsWith("cat /etc/[[passwd]]");

        Run onTerminal = cli(env(), "", true, tmp, "search", "passwd");
        assertThat(onTerminal.out()).contains("cat /etc/\u001b[1;7mpasswd\u001b[0m").doesNotContain("[[");

        Run elsewhere = cli(env(), "", false, tmp, "search", "passwd", "--user", "bob");
        assertThat(elsewhere.out()).isEmpty();
        assertThat(elsewhere.err()).contains("no matches found");
        Run phrase = cli(env(), "", false, tmp, "search", "--json", "select", "1");
        assertThat(phrase.out()).contains(bobDb.id().toString()).doesNotContain(aliceWeb.id().toString());
    }

    @Test
    void searchFindsASubstringOfACommandLineAndSaysWhatTheOperatorIs() throws Exception {
        Run r = cli(env(), "", false, tmp, "search", "*ETC/PASS*");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines()).as(r.toString()).singleElement().asString()
                .contains("  alice@web-1  command  ").endsWith("cat /[[etc/pass]]wd");

        Run tooShort = cli(env(), "", false, tmp, "search", "*wd*");
        assertThat(tooShort.exitCode()).as(tooShort.toString()).isNotZero();
        assertThat(tooShort.err()).contains("substring term *wd* is shorter than 3 characters");

        Run help = cli(env(), "", false, tmp, "search", "--help");
        assertThat(help.out()).contains("*text* finds text anywhere in command lines (not in output)");
    }

    // ---- play, commands and export by session id -----------------------------------------------------------

    @Test
    void commandsAndExportBySessionIdGiveWhatTheDownloadedRecordGives() throws Exception {
        Path record = tmp.resolve("downloaded.tta");
        Files.write(record, server.get("/api/v1/sessions/" + aliceWeb.id() + "/record", server.admin()).body());
        Path scratch = Files.createDirectory(tmp.resolve("scratch"));
        String id = aliceWeb.id().toString();

        Run byFile = cli(env(), "", false, scratch, "commands", record.toString(), "--json");
        Run byId = cli(env(), "", false, scratch, "commands", id, "--json");
        assertThat(byId.exitCode()).as(byId.toString()).isZero();
        assertThat(byId.out()).isEqualTo(byFile.out()).contains("cat /etc/passwd", "make deploy");
        Run textById = cli(env(), "", false, scratch, "commands", id);
        assertThat(textById.out()).isEqualTo(cli(env(), "", false, scratch, "commands", record.toString()).out());
        Run filesById = cli(env(), "", false, scratch, "files", id, "--json");
        assertThat(filesById.exitCode()).as(filesById.toString()).isZero();
        assertThat(filesById.out()).isEqualTo(cli(env(), "", false, scratch, "files", record.toString(), "--json")
                .out());

        for (String format : List.of("asciicast-v2", "asciicast-v3")) {
            Path fromFile = tmp.resolve("file-" + format + ".cast");
            Path fromId = tmp.resolve("id-" + format + ".cast");
            assertThat(cli(env(), "", false, scratch, "export", record.toString(), "--format", format, "-o",
                    fromFile.toString()).exitCode()).isZero();
            Run export = cli(env(), "", false, scratch, "export", id, "--format", format, "--with-input", "-o",
                    fromId.toString());
            assertThat(export.exitCode()).as(export.toString()).isZero();
            Run withInputFromFile = cli(env(), "", false, scratch, "export", record.toString(), "--format", format,
                    "--with-input", "-o", fromFile.toString());
            assertThat(withInputFromFile.exitCode()).isZero();
            assertThat(Files.readAllBytes(fromId)).isEqualTo(Files.readAllBytes(fromFile));
            assertThat(Files.readString(fromId)).contains("root:x:0:0");
        }
        // The downloaded records were temporary files: none is left.
        assertThat(Files.list(scratch)).isEmpty();
    }

    @Test
    void playBySessionIdShowsWhatPlayingTheDownloadedRecordShows() throws Exception {
        Path record = tmp.resolve("downloaded.tta");
        Files.write(record, server.get("/api/v1/sessions/" + aliceWeb.id() + "/record", server.admin()).body());
        Map<String, String> env = RecordFixture.environment(home, "/bin/sh");
        env.putAll(server.tokenEnvironment(home, server.adminApiToken()));
        env.put("HOME", home.toString());
        String fromFile = play(List.of("play", record.toString(), "--idle-limit", "0.05"), env);
        String fromId = play(List.of("play", aliceWeb.id().toString(), "--idle-limit", "0.05"), env);
        assertThat(fromFile).contains("root:x:0:0", "deployed");
        assertThat(fromId).isEqualTo(fromFile);
    }

    private static String play(List<String> args, Map<String, String> env) throws Exception {
        try (TerminalSession p = TerminalSession.start(args, env, new WindowSize(80, 24))) {
            p.awaitOutput("deployed");
            assertThat(p.awaitExit().code()).as(p.output()).isZero();
            return p.output();
        }
    }

    @Test
    void anUnknownSessionIdIsReportedByTheServer() throws Exception {
        UUID unknown = UUID.randomUUID();
        Run r = cli(env(), "", false, tmp, "commands", unknown.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ttyaudit: no session " + unknown + "\n");
    }

    @Test
    void aSessionIdWithoutAnyServerIsAMissingFileWithAHint() {
        UUID id = aliceWeb.id();
        Run r = cli(homeEnvironment(home), "", false, tmp, "commands", id.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(id + ": no such file").contains("--server URL or run ttyaudit login");
    }

    @Test
    void aRefusalCarriesTheServersReason() throws Exception {
        // A host's credential is a valid token, but hosts may only upload: the server says so (403).
        Run r = cli(server.tokenEnvironment(home, server.host("web-2")), "", false, tmp, "sessions");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ttyaudit: the server refused: not allowed: list sessions and their metadata\n");
    }

    @Test
    void anAdminMakesAnEnrollmentTokenAndTheHostEnrollsWithThePrintedLine() throws Exception {
        Run made = cli(env(), "", false, tmp, "enrollment-token", "--hours", "2");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        String line = made.out().lines().filter(l -> l.strip().startsWith("ttyaudit enroll ")).findFirst()
                .orElseThrow().strip();
        assertThat(line).contains("--server " + server.url).contains("--fingerprint " + server.fingerprint);

        List<String> args = new ArrayList<>(List.of(line.substring("ttyaudit ".length()).split(" ")));
        args.addAll(List.of("--credential-file", tmp.resolve("host.json").toString(), "--host", "new-host"));
        Run enrolled = cli(homeEnvironment(home), "", false, tmp, args.toArray(String[]::new));
        assertThat(enrolled.exitCode()).as(enrolled.toString()).isZero();
        assertThat(tmp.resolve("host.json")).exists();

        Run again = cli(homeEnvironment(home), "", false, tmp, args.toArray(String[]::new));
        assertThat(again.exitCode()).as("the token is single use").isNotZero();
    }

    @Test
    void onlyAdminsMakeEnrollmentTokens() throws Exception {
        Run r = cli(server.tokenEnvironment(home, server.host("web-3")), "", false, tmp, "enrollment-token");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("not allowed: create and list host enrollment tokens");
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("TTYAUDIT_SERVER", "127.0.0.1:" + closedPort);
        Run r = cli(env, "", false, tmp, "sessions");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach the server at https://127.0.0.1:" + closedPort);
    }

    /** A script's environment: an admin API token in TTYAUDIT_TOKEN, the server and its pin. */
    private Map<String, String> env() throws Exception {
        return server.tokenEnvironment(home, scriptToken());
    }

    private static String scriptToken;

    private static synchronized String scriptToken() throws Exception {
        if (scriptToken == null) {
            scriptToken = server.adminApiToken();
        }
        return scriptToken;
    }

    private static List<String> ids(Run r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out().lines().skip(1).map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }
}
