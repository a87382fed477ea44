package org.ttyaudit.cli.e2e.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.ttyaudit.cli.e2e.RecordFixture;
import org.ttyaudit.cli.e2e.ServerProcess;
import org.ttyaudit.cli.e2e.ServerUnderTest;
import org.ttyaudit.cli.e2e.TerminalSession;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in a real headless Chromium against a real {@code ttyaudit server} process holding sessions that the
 * real recorder recorded from real bash ({@code record --upload}): log in (with the forced first-login password
 * change), search, playback with the command timeline, details, live view, role checks, the audit log, alerts
 * (raised by the server's real rules: the default pack and a rule file of the test's), and the phone-width
 * layout. Screenshots of the main pages go to target/screenshots/.
 */
class WebUiTest {
    static final String PROMPT = "tt[#$] ";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String MARKUP = "<img src=x onerror=document.title=1337>";
    /** The server's rule file (beside the default pack): one rule of severity high, for the severity filter. */
    static final String RULES = """
            rules:
              - name: web-ui-high
                description: The web UI test's high-severity command
                severity: high
                match:
                  command: '^echo high-risk-'
                actions: [alert]
            """;

    /** Retention prunes only the sessions tagged retention=short, 5 days after their end, looking every 10 s. */
    static final String RETENTION = """
            retention:
              minimum_keep_days: 1
              prune_every: 10s
              rules:
                - name: short
                  tags: ['retention:short']
                  keep_days: 5
            """;

    @TempDir
    static Path home;
    static ServerProcess server;
    static Browser browser;
    static Path credentialFile;
    /** The recorded session: three commands, the second printing zebra-42. */
    static String sessionId;

    @BeforeAll
    static void serverWithARecordedSessionAndABrowser() throws Exception {
        Browser.assumeInstalled();
        Path data = home.resolve("server-data");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();   // nothing listens there once this is closed: the forwarder retries
        }
        RecordFixture.writeFile(data.resolve("server.yaml"), "rules:\n  file: rules.yaml\n" + RETENTION
                + "forwarding:\n  forwarders:\n    - {name: siem, type: syslog, host: 127.0.0.1, port: " + closedPort
                + ", protocol: tcp}\n");
        RecordFixture.writeFile(data.resolve("rules.yaml"), RULES);
        server = new ServerProcess(data).start();
        server.admin();
        credentialFile = home.resolve("host.json");
        server.enroll(credentialFile, "web-host");
        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='tt\\$ '\n");

        // The output (zebra-42) differs from the command line, so seeing it proves the output plays. Recorded
        // text is the recorded user's: the page must show it (MARKUP) as text, never run it as markup.
        recordLines("echo first-step", "echo zebra-$((6*7))", "ls /", "echo '" + MARKUP + "'");
        sessionId = awaitSearchHit("zebra").get("session_id").asText();
        browser = new Browser(server.url(), server.certificate(), home.resolve("chromium-profile"), SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        TerminalSession.endProcessesUnder(home);
    }

    @AfterEach
    void theCspRefusedNothing() {
        if (browser != null) {
            assertThat(browser.policyViolations()).as("console messages of refused content").isEmpty();
        }
    }

    /** Records bash running {@code lines}, 1.5 s apart (each at a moment of its own), then exit. */
    static void recordLines(String... lines) throws Exception {
        try (TerminalSession t = recordBash()) {
            int at = t.awaitOutput(PROMPT);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    Thread.sleep(1500);
                }
                at = t.runLine(at, PROMPT, lines[i]);
            }
            t.type("exit\r");
            assertThat(t.awaitExit().code()).as(t.output()).isZero();
        }
    }

    static TerminalSession recordBash() throws Exception {
        return TerminalSession.start(List.of("record", "--upload", "--credential-file", credentialFile.toString(),
                "--", "bash"), RecordFixture.environment(home, "/bin/bash"), new WindowSize(100, 24));
    }

    /** Polls the search API until the server has indexed a command hit for {@code query}. */
    static JsonNode awaitSearchHit(String query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode hit : server.getJson("/api/v1/search?q=" + query).get("items")) {
                if (hit.get("kind").asText().equals("command")) {
                    return hit;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never found a command with " + query);
            }
            Thread.sleep(100);
        }
    }

    static double sessionTime() {
        return Double.parseDouble(browser.find("#session-time").getAttribute("data-seconds"));
    }

    @Test
    void anAuditorFindsACommandBySearchingPlaysItsOutputAndJumpsWithTheTimeline() throws Exception {
        server.user("searcher", "auditor", "one-time password of searcher");
        browser.login("searcher", "one-time password of searcher", "searcher's own password");
        browser.awaitText("main h1", "Sessions");
        browser.await("tr.row-link[data-session-id='" + sessionId + "']");
        browser.screenshot("sessions");

        browser.find("nav a[href='#/search']").click();
        browser.awaitText("#search-help", "*text* finds text anywhere in command lines (not in output)");
        browser.fill("input[name=q]", "zebra");
        browser.find("form.filters button[type=submit]").click();
        WebElement mark = browser.await(".hits mark");
        assertThat(mark.getText()).containsIgnoringCase("zebra");
        browser.screenshot("search");

        WebElement commandHit = browser.all(".hit-link").stream()
                .filter(a -> !a.findElements(By.cssSelector(".kind-command")).isEmpty()).findFirst().orElseThrow();
        commandHit.click();
        assertThat(browser.route()).startsWith("#/sessions/" + sessionId + "?t=");
        // Opened at the command, playing: the command's output appears on the player's terminal.
        browser.awaitText(".player .ap-term", "zebra-42");
        browser.screenshot("playback");

        List<WebElement> commands = browser.all("button.command");
        assertThat(commands).extracting(e -> e.findElement(By.cssSelector(".command-line")).getText())
                .startsWith("echo first-step", "echo zebra-$((6*7))", "ls /", "echo '" + MARKUP + "'");
        assertThat(browser.all(".timeline img")).as("a recorded command is text, not markup").isEmpty();
        double before = sessionTime();
        WebElement first = commands.get(0);
        double firstAt = Double.parseDouble(first.getAttribute("data-offset"));
        assertThat(before).as("playing from the zebra command, after the first one").isGreaterThan(firstAt + 1);
        first.click();
        browser.waitUntil("the session time to go back from " + before, d -> sessionTime() < before - 1);
        assertThat(sessionTime()).as("the player jumped to the first command").isBetween(firstAt - 0.2, firstAt + 3);

        browser.awaitText("#integrity", "hash chain intact");
        browser.await("#activity");
        assertThat(browser.driver().getTitle()).doesNotContain("1337");
        browser.script("document.querySelector('.details').scrollIntoView()");
        browser.screenshot("session-details");
    }

    @Test
    void aLiveSessionShowsWhatIsTypedIntoItWithinSeconds() throws Exception {
        server.user("watcher", "auditor", "one-time password of watcher");
        browser.login("watcher", "one-time password of watcher", "watcher's own password");
        try (TerminalSession t = recordBash()) {
            t.awaitOutput(PROMPT);
            String live = awaitLiveSession();
            browser.open("#/live/" + live);
            browser.awaitText("#live-status", "Live");
            browser.awaitText(".player .ap-term", "tt");
            long typed = System.nanoTime();
            t.type("echo live-$((40+2))\r");
            browser.awaitText(".player .ap-term", "live-42");
            long millis = Duration.ofNanos(System.nanoTime() - typed).toMillis();
            System.out.println("live view: output shown " + millis + " ms after the keystrokes");
            assertThat(millis).as("keystroke to browser").isLessThan(5000);
            browser.screenshot("live");
            t.type("exit\r");
            t.awaitExit();
        }
        browser.awaitText("#live-status", "ended");
    }

    static String awaitLiveSession() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode s : server.getJson("/api/v1/sessions").get("items")) {
                if (s.get("state").asText().equals("live")) {
                    return s.get("id").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no live session reached the server");
    }

    @Test
    void aGatewaySessionShowsItsTargetInTheListAndTheFilesItsSftpTransfersTouched() throws Exception {
        RecordedSession sftp = RecordedSession.gateway("gw-visitor", "db-9", "root", "sftp");
        sftp.file("write", "/etc/sudoers", null, 1536L, new byte[32], "sftp");
        sftp.file("rename", "notes.txt", "old/notes.txt", null, null, "sftp");
        server.ingest(credentialFile, sftp);
        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);
        browser.open("#/sessions");
        assertThat(browser.awaitText("tr.row-link[data-session-id='" + sftp.id() + "'] .gateway-badge",
                "root@db-9").getText()).isEqualTo("via gateway → root@db-9 · sftp");

        browser.open("#/sessions/" + sftp.id());
        browser.awaitText("#activity", "/etc/sudoers");
        List<String> files = browser.all("#activity tr.file-event").stream().map(WebElement::getText).toList();
        assertThat(files).hasSize(2);
        assertThat(files.get(0)).contains("write", "/etc/sudoers", "1.5 KiB", "000000000000…", "sftp");
        assertThat(files.get(1)).contains("rename", "notes.txt → old/notes.txt");
        assertThat(browser.find("#activity .target").getText())
                .isEqualTo("Relayed by the SSH gateway gw-1 to root@db-9 (10.0.0.5:22), channel sftp.");
        browser.logout();
    }

    @Test
    void theAuditLogsProgramsAndFilesShowInTheTimelineMarkedAsSuchAndLinkedToTheirAttachment() throws Exception {
        // A session recorded in audit session 2, a few seconds before the events of a capture from a real auditd,
        // which the real ingest-audit attaches to it on the server.
        RecordedSession recorded = new RecordedSession(java.util.UUID.randomUUID(), "root", "web-host",
                java.time.Instant.parse("2026-12-06T21:36:50Z"), java.util.Map.of("audit_session", "2",
                "loginuid", "4242"));
        recorded.command("bash ./audited-steps.sh", "steps done", 0);
        server.ingest(credentialFile, recorded);
        Path log = home.resolve("audit.log");
        try (java.io.InputStream in = java.util.Objects.requireNonNull(
                getClass().getResourceAsStream("/org/ttyaudit/cli/audit-sample.log"))) {
            java.nio.file.Files.write(log, in.readAllBytes());
        }
        java.util.Map<String, String> env = ServerUnderTest.homeEnvironment(home.resolve("ingest-home"));
        env.put("TTYAUDIT_SERVER", server.url());
        env.put("TTYAUDIT_FINGERPRINT", server.fingerprint());
        env.put("TTYAUDIT_TOKEN", server.admin());
        ServerUnderTest.Run ingested = ServerUnderTest.cli(env, "", false, home, "ingest-audit", log.toString(),
                "--server", server.url(), "--credential-file", credentialFile.toString(), "--data",
                home.resolve("ingest-data").toString(), "--host", "web-host");
        assertThat(ingested.exitCode()).as(ingested.toString()).isZero();
        String attachmentId = server.getJson("/api/v1/sessions?tag=attached_to:" + recorded.id()).get("items")
                .get(0).get("id").asText();

        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);
        browser.open("#/sessions/" + recorded.id());
        browser.await("button.audit-entry");
        assertThat(browser.find(".timeline-column h2").getText()).contains("audit-log events (3)");
        // In session order: the command the recording captured, then what the audit log saw it run and change.
        List<String> timeline = browser.all(".timeline button").stream().map(b -> b.getAttribute("class")
                .contains("audit-entry") ? b.getAttribute("data-kind") + " "
                + b.findElement(By.cssSelector(".audit-line")).getText()
                : b.findElement(By.cssSelector(".command-line")).getText()).toList();
        assertThat(timeline.get(0)).isEqualTo("bash ./audited-steps.sh");
        assertThat(timeline).contains("exec ls -la");
        assertThat(timeline).anySatisfy(t -> assertThat(t).startsWith("file /tmp/auditcap/work/"));
        WebElement ls = browser.all("button.audit-entry[data-kind=exec]").stream()
                .filter(b -> b.getText().contains("ls -la")).findFirst().orElseThrow();
        assertThat(ls.findElement(By.cssSelector(".audit-source")).getAttribute("textContent")).isEqualTo("audit log");
        assertThat(ls.getText()).contains("/tmp/auditcap/work", "uid 0", "auid 4242", "succeeded (exit 0)");
        assertThat(ls.getAttribute("data-attachment-id")).isEqualTo(attachmentId);
        double lsAt = Double.parseDouble(ls.getAttribute("data-offset"));
        assertThat(lsAt).as("on the session's clock: 5 s after its start").isBetween(4.0, 7.0);
        browser.script("arguments[0].scrollIntoView()", ls);
        browser.screenshot("session-audit-events");

        // The timeline can be shown without them.
        browser.find("input[name=show-audit]").click();
        browser.waitUntil("the audit-log events hidden", d -> !ls.isDisplayed());
        assertThat(browser.find("button.command").isDisplayed()).isTrue();
        browser.find("input[name=show-audit]").click();

        // The session links to its attachment, and the attachment back to the session.
        WebElement link = browser.await("#attachments a[href='#/sessions/" + attachmentId + "']");
        assertThat(browser.find("#attachments").getText()).contains("audit session 2", "3 events");
        link.click();
        browser.waitUntil("the attachment's page", d -> browser.route().equals("#/sessions/" + attachmentId));
        WebElement back = browser.awaitText("#attached-to", recorded.id().toString());
        assertThat(back.getText()).contains("audit session 2");
        back.findElement(By.cssSelector("a")).click();
        browser.waitUntil("back at the session", d -> browser.route().equals("#/sessions/" + recorded.id()));
        browser.await("button.audit-entry");

        // Viewing the session read the attachment too, and that read is in the audit log.
        JsonNode views = server.getJson("/api/v1/audit?session=" + attachmentId).get("items");
        assertThat(views).anySatisfy(v -> assertThat(v.get("detail").path("via").asText())
                .isEqualTo(recorded.id().toString()));
        browser.logout();
    }

    @Test
    void aRecorderSessionSentWithAnotherHostsCredentialIsMarkedSo() throws Exception {
        RecordedSession claims = new RecordedSession("alice", "db-7");
        claims.command("id", "uid=1000(alice)", 0);
        server.ingest(credentialFile, claims);
        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);
        browser.open("#/sessions/" + claims.id());
        assertThat(browser.awaitText("dl.meta .host-mismatch", "web-host").getText())
                .isEqualTo("host credential web-host — not the host its recorder reported (db-7)");
        browser.logout();
    }

    @Test
    void aUserCannotOpenAnotherUsersSessionAnAuditorCanAndTheViewingIsAudited() throws Exception {
        server.user("mallory", "user", "one-time password of mallory");
        browser.login("mallory", "one-time password of mallory", "mallory's own password");
        browser.await(".notice");
        assertThat(browser.all("tr.row-link")).as("role user sees only sessions recorded under their name")
                .isEmpty();
        browser.open("#/sessions/" + sessionId);
        browser.awaitText("main h1", "Not found or not allowed");
        assertThat(browser.find("main").getText()).doesNotContain("zebra");
        browser.screenshot("denied");
        browser.open("#/audit");
        browser.awaitText("main h1", "Not found or not allowed");

        server.user("audrey", "auditor", "one-time password of audrey");
        browser.login("audrey", "one-time password of audrey", "audrey's own password");
        browser.open("#/sessions/" + sessionId);
        browser.await("button.command");

        browser.find("nav a[href='#/audit']").click();
        browser.fill("form.filters input[name=session]", sessionId);
        browser.find("form.filters button[type=submit]").click();
        browser.waitUntil("the filtered audit log", d -> browser.route().contains("session=" + sessionId));
        browser.await("tr.audit-row");
        List<String> rows = browser.all("tr.audit-row").stream().map(WebElement::getText).toList();
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("audrey").contains("session.view"));
        assertThat(rows).noneSatisfy(r -> assertThat(r).contains("mallory"));
        browser.screenshot("audit-log");
    }

    @Test
    void aPrunedSessionSaysWhenAndByWhichPolicyAndTheAdminPageShowsStorageAndHolds() throws Exception {
        // ended on 2026-11-25, tagged for the 5-day rule: the retention job prunes it within about 10 s
        RecordedSession old = new RecordedSession(java.util.UUID.randomUUID(), "olduser", "old-host",
                java.time.Instant.parse("2026-11-25T10:00:00Z"), java.util.Map.of("retention", "short"));
        old.command("cat /srv/old-report", "old report", 0);
        server.ingest(credentialFile, old);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (server.getJson("/api/v1/sessions/" + old.id()).get("pruned").isNull()) {
            assertThat(System.nanoTime()).as("pruned within 40 s").isLessThan(deadline);
            Thread.sleep(250);
        }
        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);

        browser.open("#/sessions");
        assertThat(browser.await("tr.row-link[data-session-id='" + old.id() + "'] .pruned-badge").getText())
                .startsWith("pruned ");
        browser.open("#/sessions/" + old.id());
        WebElement pruned = browser.awaitText("#pruned", "Content pruned on");
        assertThat(pruned.getText()).contains("by retention policy rule short").contains("tombstone");
        assertThat(browser.all(".player")).as("nothing to play").isEmpty();
        browser.awaitText("#integrity", "✔");
        browser.screenshot("session-pruned");

        browser.open("#/admin");
        assertThat(browser.awaitText("#storage-totals", "stored").getText()).contains("pruned so far: 1 sessions");
        browser.await("#storage table");
        new Select(browser.find("#place-hold select[name=hold-scope]")).selectByValue("host");
        browser.fill("#place-hold input[name=hold-value]", "vault-9");
        browser.fill("#place-hold input[name=hold-reason]", "case 2026-88");
        browser.find("#place-hold button[type=submit]").click();
        WebElement held = browser.awaitText("#holds", "vault-9");
        assertThat(held.getText()).contains("case 2026-88").contains("admin");
        browser.screenshot("admin-retention");
        browser.find("#holds button").click();
        browser.awaitText("#holds", "No legal hold is in force.");
        assertThat(server.getJson("/api/v1/audit?action=hold.release").get("items")).hasSize(1);
        browser.logout();
    }

    @Test
    void aUserAddsAndRemovesAnSshKeyOnTheAccountPage() throws Exception {
        // a real ssh-keygen key whose fingerprint has a '+', which the remove button must carry in the URL path
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII8bXwzbumH512vgSs28c+ePM9j2b4N/cHLcewoT33YC web-ui@test";
        server.user("keyholder", "user", "one-time password of keyholder");
        browser.login("keyholder", "one-time password of keyholder", "keyholder's own password");
        browser.open("#/account");
        browser.fill("#ssh-key-form textarea[name=public-key]", key);
        browser.find("#ssh-key-form button[type=submit]").click();

        browser.awaitText("#my-ssh-keys table", "SHA256:17dqPni2NmXP+lLGvSL3Aw8BaSUiMPr752kUBFLeGQE");
        assertThat(browser.find("#my-ssh-keys").getText()).contains("web-ui@test").contains("ssh-ed25519");
        browser.screenshot("ssh-keys");
        browser.find("#my-ssh-keys button.danger").click();
        browser.awaitText("#my-ssh-keys", "No SSH keys.");
    }

    @Test
    void atPhoneWidthNothingScrollsSidewaysAndTabReachesTheSessionRows() throws Exception {
        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);
        browser.open("#/admin");
        browser.await("#users table");
        browser.fill("#create-user input[name=new-user-name]", "newcomer");
        browser.fill("#create-user input[name=new-user-password]", "one-time password of newcomer");
        browser.find("#create-user button[type=submit]").click();
        browser.awaitText("#users table", "newcomer");
        browser.all("button").stream().filter(b -> b.getText().equals("Make enrollment token")).findFirst()
                .orElseThrow().click();
        assertThat(browser.awaitText("#enroll-line", "ttyaudit enroll --server https://").getText())
                .contains("--token tte_").contains("--fingerprint " + server.fingerprint());
        browser.screenshot("admin");
        try {
            browser.phone(375, 812);
            for (String route : List.of("#/search?q=zebra", "#/audit", "#/admin", "#/account")) {
                browser.open(route);
                browser.await("main h1");
                browser.await("main form");
                assertThat(browser.scrollsSideways()).as(route + " at 375 px").isFalse();
            }
            browser.open("#/sessions");
            browser.await("tr.row-link");
            assertThat(browser.scrollsSideways()).as("the session list at 375 px").isFalse();
            browser.screenshot("phone-sessions");

            browser.script("document.activeElement.blur(); window.scrollTo(0, 0);");
            WebElement focused = null;
            for (int i = 0; i < 40 && focused == null; i++) {
                new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
                WebElement active = browser.driver().switchTo().activeElement();
                if ("tr".equals(active.getTagName()) && active.getAttribute("class").contains("row-link")) {
                    focused = active;
                }
            }
            assertThat(focused).as("a session row within 40 presses of Tab").isNotNull();
            String id = focused.getAttribute("data-session-id");
            new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
            browser.waitUntil("Enter to open the session", d -> browser.route().equals("#/sessions/" + id));
            browser.await(".player .ap-term");
            assertThat(browser.scrollsSideways()).as("playback at 375 px").isFalse();
            browser.screenshot("phone-playback");
        } finally {
            browser.desktop();
        }
    }

    @Test
    void alertsAreListedOpenTheirSessionShowInItsTimelineAndOnThePlayerAndTheRulesReload() throws Exception {
        // sudo-use and history-cleared from the default pack, web-ui-high from the test's rule file.
        recordLines("echo quokka-before", "sudo -n true", "history -c", "echo high-risk-step");
        String alerted = awaitSearchHit("quokka").get("session_id").asText();
        List<JsonNode> raised = awaitAlerts(alerted, Set.of("sudo-use", "history-cleared", "web-ui-high"));
        JsonNode sudo = raised.stream().filter(a -> a.get("rule").asText().equals("sudo-use")).findFirst()
                .orElseThrow();
        JsonNode history = raised.stream().filter(a -> a.get("rule").asText().equals("history-cleared"))
                .findFirst().orElseThrow();
        browser.login("admin", ServerProcess.ADMIN_PASSWORD, null);

        // The alerts page: every alert of the session, with its severity (as a word, not just a colour) and rule.
        browser.find("nav a[href='#/alerts']").click();
        browser.await("tr.alert-row[data-session-id='" + alerted + "']");
        assertThat(alertRows(alerted)).contains("sudo-use", "history-cleared", "web-ui-high");
        WebElement sudoRow = browser.find("tr.alert-row[data-alert-id='" + sudo.get("id").asText() + "']");
        assertThat(sudoRow.findElement(By.cssSelector(".severity")).getText()).containsIgnoringCase("medium");
        JsonNode session = server.getJson("/api/v1/sessions/" + alerted);
        assertThat(sudoRow.getText()).contains("sudo-use", sudo.get("description").asText(),
                session.get("user").asText(), session.get("host").asText(), sudo.get("matched").asText());
        assertThat(browser.find("tr.alert-row[data-rule='web-ui-high'] .severity").getText())
                .containsIgnoringCase("high");
        browser.screenshot("alerts");

        // The severity filter asks the server for high and critical ones only.
        new Select(browser.find("form.filters select[name=severity]")).selectByValue("high,critical");
        browser.find("form.filters button[type=submit]").click();
        browser.waitUntil("the severity filter in the route", d -> browser.route().contains("severity=high"));
        browser.waitUntil("only the high alert", d -> alertRows(alerted).equals(List.of("web-ui-high")));

        // A row opens its session a little before the alert: keyboard (Tab to it, Enter) like every list.
        browser.open("#/alerts?rule=sudo-use");
        WebElement row = browser.await("tr.alert-row[data-alert-id='" + sudo.get("id").asText() + "']");
        browser.script("arguments[0].focus()", row);
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        double sudoAt = sudo.get("offset_us").asLong() / 1e6;
        browser.waitUntil("the session at the alert", d -> browser.route().startsWith("#/sessions/" + alerted + "?t="));
        double opened = Double.parseDouble(browser.route().replaceFirst(".*[?&]t=", ""));
        assertThat(opened).as("a little before the alert").isBetween(Math.max(0, sudoAt - 3), sudoAt);
        browser.await(".player .ap-term");
        browser.waitUntil("the player at the alert's moment", d -> sessionTime() >= opened - 0.1);
        assertThat(sessionTime()).isLessThan(sudoAt + 6);

        // The timeline: the alerts among the commands in session order, each after the command that raised it.
        browser.await("button.alert-entry");
        List<String> timeline = browser.all(".timeline button").stream().map(b -> b.getAttribute("class")
                .contains("alert-entry") ? "alert " + b.getAttribute("data-rule")
                : b.findElement(By.cssSelector(".command-line")).getText()).toList();
        assertThat(timeline).containsSubsequence("echo quokka-before", "sudo -n true", "alert sudo-use",
                "history -c", "alert history-cleared", "echo high-risk-step", "alert web-ui-high");
        assertThat(browser.find("button.alert-entry[data-rule='sudo-use']").getText())
                .contains("sudo-use").containsIgnoringCase("medium");
        // The player's seek bar carries a marker per alert, beside the command markers.
        List<String> markers = browser.script("return Array.from(document.querySelectorAll("
                + "'.player .ap-marker-container .ap-tooltip')).map(e => e.textContent);");
        assertThat(markers).anySatisfy(m -> assertThat(m).endsWith("⚠ sudo-use"))
                .anySatisfy(m -> assertThat(m).endsWith("⚠ history-cleared"))
                .anySatisfy(m -> assertThat(m).endsWith("$ sudo -n true"));
        browser.waitUntil("the alert markers drawn unlike the command markers",
                d -> browser.all(".player .ap-marker-container.alert-marker").size() == raised.size());
        List<String> alertMarkers = browser.script("return Array.from(document.querySelectorAll("
                + "'.player .ap-marker-container.alert-marker .ap-tooltip')).map(e => e.textContent);");
        assertThat(alertMarkers).allSatisfy(m -> assertThat(m).contains(" - ⚠ "));
        // Clicking an alert in the timeline seeks the player there.
        browser.find("button.command").click();
        browser.waitUntil("the player back at the first command", d -> sessionTime() < sudoAt - 1);
        double historyAt = history.get("offset_us").asLong() / 1e6;
        browser.find("button.alert-entry[data-rule='history-cleared']").click();
        browser.waitUntil("the player at the history-cleared alert", d -> sessionTime() >= historyAt - 0.2);
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("session-alerts");

        // The session list: the alert count, and the has-alerts filter narrows the list.
        browser.open("#/sessions");
        WebElement listed = browser.await("tr.row-link[data-session-id='" + alerted + "']");
        assertThat(listed.findElement(By.cssSelector("td.alerts-count")).getText())
                .contains(Integer.toString(raised.size()));
        assertThat(browser.find("tr.row-link[data-session-id='" + sessionId + "'] td.alerts-count").getText())
                .isEqualTo("0");
        new Select(browser.find("form.filters select[name=has_alerts]")).selectByValue("true");
        browser.find("form.filters button[type=submit]").click();
        browser.waitUntil("has_alerts=true in the route", d -> browser.route().contains("has_alerts=true"));
        browser.waitUntil("the session without alerts gone", d -> listedSessions().contains(alerted)
                && !listedSessions().contains(sessionId));
        new Select(browser.find("form.filters select[name=has_alerts]")).selectByValue("false");
        browser.find("form.filters button[type=submit]").click();
        browser.waitUntil("only sessions without alerts", d -> listedSessions().contains(sessionId)
                && !listedSessions().contains(alerted));

        // Admin: the rules in force, and reloading the rule file (a broken one is refused with the reason).
        browser.open("#/admin");
        browser.await("#rules tr.rule-row[data-rule='sudo-use']");
        browser.await("#rules tr.rule-row[data-rule='web-ui-high']");
        Path ruleFile = server.dataDir.resolve("rules.yaml");
        RecordFixture.writeFile(ruleFile, RULES.replace("severity: high", "severity: extreme"));
        browser.find("#reload-rules").click();
        assertThat(browser.awaitText("#rules-reload-result", "previous rules stay in force").getText())
                .contains("rules.yaml").contains("extreme");
        assertThat(browser.all("#rules tr.rule-row[data-rule='web-ui-high']")).hasSize(1);
        RecordFixture.writeFile(ruleFile, RULES + """
                  - name: web-ui-added
                    description: A rule added while the server runs
                    severity: low
                    match:
                      command: '^echo web-ui-added'
                    actions: [alert]
                """);
        browser.find("#reload-rules").click();
        browser.awaitText("#rules-reload-result", "Reloaded");
        browser.await("#rules tr.rule-row[data-rule='web-ui-added']");
        browser.script("document.getElementById('reload-rules').scrollIntoView()");
        browser.screenshot("admin-rules");
        // Admin: the forwarders; this one's receiver does not listen, so it is behind and says why it waits
        assertThat(browser.awaitText("#forwarders tr.forwarder-row[data-forwarder='siem']", "retrying").getText())
                .contains("tcp://127.0.0.1:").contains("Connection refused");
        browser.script("document.getElementById('forwarders').scrollIntoView()");
        browser.screenshot("admin-forwarders");

        try {
            browser.phone(375, 812);
            browser.open("#/alerts");
            browser.await("tr.alert-row");
            assertThat(browser.scrollsSideways()).as("the alerts at 375 px").isFalse();
            browser.screenshot("phone-alerts");
            browser.open("#/sessions/" + alerted);
            browser.await("button.alert-entry");
            assertThat(browser.scrollsSideways()).as("a session with alerts at 375 px").isFalse();
            browser.script("document.querySelector('button.alert-entry').scrollIntoView()");
            browser.screenshot("phone-session-alerts");
        } finally {
            browser.desktop();
        }
    }

    /** The rules of the alert rows of one session on the page, top to bottom. */
    static List<String> alertRows(String session) {
        return browser.all("tr.alert-row[data-session-id='" + session + "']").stream()
                .map(r -> r.getAttribute("data-rule")).toList();
    }

    static List<String> listedSessions() {
        return browser.all("tr.row-link").stream().map(r -> r.getAttribute("data-session-id")).toList();
    }

    /** Polls the session's alerts until every one of {@code rules} fired; returns them in session order. */
    static List<JsonNode> awaitAlerts(String session, Set<String> rules) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<JsonNode> alerts = new ArrayList<>();
            server.getJson("/api/v1/sessions/" + session + "/alerts").forEach(alerts::add);
            Set<String> fired = new TreeSet<>();
            alerts.forEach(a -> fired.add(a.get("rule").asText()));
            if (fired.containsAll(rules)) {
                return alerts;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server raised " + fired + ", not all of " + rules);
            }
            Thread.sleep(100);
        }
    }
}
