package org.ttyaudit.server.api;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.server.alert.RuleBook;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccountService;
import org.ttyaudit.server.auth.SshKeyService;
import org.ttyaudit.server.auth.WebSessions;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.forwarding.Forwarding;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ingest.RecorderContact;
import org.ttyaudit.server.ledger.LedgerProofs;
import org.ttyaudit.server.live.LiveHub;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.retention.Retention;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.verify.SessionIntegrity;
import org.ttyaudit.server.web.WebAssets;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.List;

/** Builds the API server from the server's services (the route groups stay package-private). */
public final class Api {
    private Api() {
    }

    public static ApiServer create(InetSocketAddress listen, KeyStore keyStore, char[] keyPassword,
                                   ApiServer.CredentialResolver credentials, Store store, BlobStore blobs,
                                   AccountService accounts, WebSessions webSessions, AuditLog audit,
                                   IngestService ingest, IngestMetrics ingestMetrics, LedgerProofs proofs,
                                   TreeHeadPublisher heads, PrometheusRegistry metrics,
                                   java.util.function.Supplier<String> publicUrl,
                                   String fingerprint, String webRoot, LiveHub live, RecorderContact contact,
                                   RuleBook rules,
                                   CapturePolicies capturePolicies, GatewayPolicy gatewayPolicy,
                                   SshKeyService sshKeys, Retention retention,
                                   Forwarding forwarding) {
        List<Routes> groups = List.of(
                new AccountRoutes(accounts, webSessions, audit, publicUrl, fingerprint),
                new IngestRoutes(ingest, ingestMetrics, live, contact),
                new CapturePolicyRoutes(capturePolicies),
                new SshKeyRoutes(sshKeys, accounts, audit),
                new GatewayRoutes(gatewayPolicy, capturePolicies, sshKeys),
                new SessionRoutes(store, blobs, audit, contact),
                new LiveRoutes(new SessionAccess(store, audit), live),
                new SessionDetailRoutes(store, new SessionAccess(store, audit),
                        new SessionIntegrity(store, blobs, proofs), heads),
                new LedgerRoutes(store, proofs, heads),
                new AuditRoutes(store),
                new ForwarderRoutes(forwarding),
                new AlertRoutes(store, new SessionAccess(store, audit), audit, rules),
                new RetentionRoutes(store, retention.holds(), retention.settings(), retention.pruner()));
        return new ApiServer(listen, keyStore, keyPassword, credentials, store, metrics, groups,
                new WebAssets(webRoot), publicUrl);
    }
}
