package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;
import org.ttyaudit.cli.UserError;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerTargetTest {
    static final String FP_FILE = "sha256:" + "11".repeat(32);
    static final String FP_ENV = "sha256:" + "22".repeat(32);
    static final String FP_FLAG = "sha256:" + "33".repeat(32);
    static final Optional<ClientConfig> SAVED = Optional.of(new ClientConfig("https://audit.example:8443",
            FP_FILE, "tta_saved", "tok-1", "alice"));

    @Test
    void theSavedLoginIsUsedWhenNothingElseIsGiven() {
        ServerTarget t = ServerTarget.resolve(null, null, Map.of(), SAVED, "client.json").orElseThrow();
        assertThat(t).extracting(ServerTarget::url, ServerTarget::fingerprint, ServerTarget::token,
                ServerTarget::tokenOrigin).containsExactly("https://audit.example:8443", FP_FILE, "tta_saved",
                "client.json");
    }

    @Test
    void theEnvironmentBeatsTheFileAndFlagsBeatTheEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of("TTYAUDIT_SERVER", "https://other.example",
                "TTYAUDIT_FINGERPRINT", FP_ENV, "TTYAUDIT_TOKEN", "tta_env"));
        ServerTarget fromEnv = ServerTarget.resolve(null, null, env, SAVED, "client.json").orElseThrow();
        assertThat(fromEnv).extracting(ServerTarget::url, ServerTarget::fingerprint, ServerTarget::token,
                ServerTarget::tokenOrigin).containsExactly("https://other.example", FP_ENV, "tta_env",
                "TTYAUDIT_TOKEN");

        ServerTarget fromFlags = ServerTarget.resolve("third.example:9443", FP_FLAG, env, SAVED, "client.json")
                .orElseThrow();
        assertThat(fromFlags).extracting(ServerTarget::url, ServerTarget::fingerprint, ServerTarget::token)
                .containsExactly("https://third.example:9443", FP_FLAG, "tta_env");
    }

    @Test
    void theSavedTokenAndPinAreNeverUsedForAnotherServer() {
        ServerTarget other = ServerTarget.resolve("https://evil.example", null, Map.of(), SAVED, "client.json")
                .orElseThrow();
        assertThat(other.token()).isNull();
        assertThat(other.fingerprint()).isNull();
        assertThatThrownBy(other::requireToken).isInstanceOf(UserError.class)
                .hasMessage("not logged in to https://evil.example: run ttyaudit login --server "
                        + "https://evil.example (or set TTYAUDIT_TOKEN)");

        // The same server spelled differently is the same server.
        ServerTarget same = ServerTarget.resolve("HTTPS://Audit.Example:8443/", null, Map.of(), SAVED, "f")
                .orElseThrow();
        assertThat(same.token()).isEqualTo("tta_saved");
    }

    @Test
    void aSavedServerWithAnEnvironmentTokenSendsThatToken() {
        ServerTarget t = ServerTarget.resolve(null, null, Map.of("TTYAUDIT_TOKEN", "tta_env"), SAVED, "f")
                .orElseThrow();
        assertThat(t.url()).isEqualTo("https://audit.example:8443");
        assertThat(t.fingerprint()).isEqualTo(FP_FILE);
        assertThat(t.token()).isEqualTo("tta_env");
    }

    @Test
    void noServerAnywhereIsEmptyAndBadValuesNameTheirSource() {
        assertThat(ServerTarget.resolve(null, null, Map.of("TTYAUDIT_TOKEN", "tta_x"), Optional.empty(), "f"))
                .isEmpty();
        assertThatThrownBy(() -> ServerTarget.resolve("http://audit.example", null, Map.of(), Optional.empty(), "f"))
                .isInstanceOf(UserError.class).hasMessageStartingWith("--server: the server URL must use https");
        assertThatThrownBy(() -> ServerTarget.resolve(null, null, Map.of("TTYAUDIT_SERVER", "a.example",
                "TTYAUDIT_FINGERPRINT", "md5:abc"), Optional.empty(), "f"))
                .isInstanceOf(UserError.class).hasMessageStartingWith("TTYAUDIT_FINGERPRINT: a fingerprint is");
    }

    @Test
    void aMangledEnvironmentTokenIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> ServerTarget.resolve(null, null, Map.of("TTYAUDIT_TOKEN", "tta_abc\ndef"), SAVED,
                "f")).isInstanceOf(UserError.class).hasMessageContaining("TTYAUDIT_TOKEN has spaces or control")
                .hasMessageNotContaining("tta_abc");
    }

    @Test
    void theTokenIsNotInToString() {
        ServerTarget t = ServerTarget.resolve(null, null, Map.of(), SAVED, "client.json").orElseThrow();
        assertThat(t.toString()).doesNotContain("tta_saved");
        assertThat(SAVED.get().toString()).doesNotContain("tta_saved");
    }
}
