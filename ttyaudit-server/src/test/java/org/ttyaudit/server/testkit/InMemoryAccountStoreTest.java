package org.ttyaudit.server.testkit;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.store.AccountStore.EnrollmentToken;
import org.ttyaudit.server.store.AccountStore.Host;
import org.ttyaudit.server.store.AccountStore.User;
import org.ttyaudit.server.store.StoreException;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake keeps the SPI's rules, so tests built on it do not pass against something laxer than the real store. */
class InMemoryAccountStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryAccountStore store = new InMemoryAccountStore();

    @Test
    void userNamesAreUnique() {
        store.createUser(user("1", "alice"));
        assertThatThrownBy(() -> store.createUser(user("2", "alice"))).isInstanceOf(StoreException.class);
        store.createUser(user("2", "bob"));
        assertThatThrownBy(() -> store.updateUser(user("2", "alice"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.updateUser(user("3", "carol"))).isInstanceOf(StoreException.class);
        assertThat(store.userCount()).isEqualTo(2);
    }

    @Test
    void enrollHostUsesTheTokenExactlyOnceAndOnlyBeforeItExpires() {
        store.createEnrollmentToken(new EnrollmentToken("e1", "hash1", "u", T0, T0.plusSeconds(60), null, null));
        assertThat(store.enrollHost("hash1", host("h1", "web-1", "c1"), T0.plusSeconds(60))).isFalse();
        assertThat(store.hosts()).isEmpty();
        assertThat(store.enrollHost("nope", host("h1", "web-1", "c1"), T0)).isFalse();
        assertThat(store.enrollHost("hash1", host("h1", "web-1", "c1"), T0.plusSeconds(59))).isTrue();
        assertThat(store.enrollHost("hash1", host("h2", "web-2", "c2"), T0.plusSeconds(59))).isFalse();
        assertThat(store.enrollmentTokens()).singleElement().satisfies(t -> {
            assertThat(t.usedAt()).isEqualTo(T0.plusSeconds(59));
            assertThat(t.usedByHostId()).isEqualTo("h1");
        });
        assertThat(store.hostByCredentialHash("c1")).map(Host::name).contains("web-1");
    }

    @Test
    void aDuplicateHostNameChangesNothing() {
        store.createEnrollmentToken(new EnrollmentToken("e1", "hash1", "u", T0, T0.plusSeconds(60), null, null));
        store.createEnrollmentToken(new EnrollmentToken("e2", "hash2", "u", T0, T0.plusSeconds(60), null, null));
        assertThat(store.enrollHost("hash1", host("h1", "web-1", "c1"), T0)).isTrue();
        assertThatThrownBy(() -> store.enrollHost("hash2", host("h2", "web-1", "c2"), T0))
                .isInstanceOf(StoreException.class);
        assertThat(store.enrollmentTokens()).filteredOn(t -> t.id().equals("e2"))
                .singleElement().satisfies(t -> assertThat(t.usedAt()).isNull());
    }

    private static User user(String id, String name) {
        return new User(id, name, "user", "$argon2id$…", false, false, T0);
    }

    private static Host host(String id, String name, String credentialHash) {
        return new Host(id, name, credentialHash, T0, null, false);
    }
}
