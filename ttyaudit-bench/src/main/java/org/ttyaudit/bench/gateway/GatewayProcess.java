package org.ttyaudit.bench.gateway;

import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.gateway.Gateway;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.testkit.StaticAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway under test, in a JVM of its own so that its heap, CPU and threads are its own and not the load
 * generator's. Started by {@link GatewayChild}:
 * {@code GatewayProcess DATA TARGET_PORT REMOTE_USER USER_KEY_LINE CAPTURE}. User {@code bench} with that key may
 * reach target {@code target} (127.0.0.1:TARGET_PORT) as REMOTE_USER; records stay in {@code DATA/sessions}
 * (standalone gateway: no audit server, so no upload costs in the numbers), under the capture policy CAPTURE:
 * {@code full} stores every byte, {@code built-in} is {@link CapturePolicies#BUILT_IN}. It prints its port and
 * public key lines, then runs until its standard input closes (the parent went away).
 */
public final class GatewayProcess {
    static final String USER = "bench";
    static final String TARGET = "target";

    private GatewayProcess() {
    }

    public static void main(String[] args) throws Exception {
        GatewayLoad.quietLogging();
        Path data = Path.of(args[0]);
        StaticAccess access = new StaticAccess().key(USER, args[3]);
        access.route(USER, new GatewayAccess.Route(TARGET, "127.0.0.1", Integer.parseInt(args[1]), args[2]));
        access.capture(USER, TARGET, args[4].equals("built-in") ? CapturePolicies.BUILT_IN
                : CapturePolicy.only(CaptureMode.FULL, "bench"));
        Files.createDirectories(data);
        try (Gateway gw = Gateway.start(new Gateway.Settings("127.0.0.1", 0, data, null, SecretMasker.defaults(),
                "bench", "gw-bench", Duration.ofSeconds(30)), access, null)) {
            System.out.println("gateway-port " + gw.port());
            System.out.println("gateway-host-key " + gw.hostKeyLine());
            System.out.println("gateway-identity " + gw.identityLine());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our stdin
            }
        }
        System.exit(0);
    }
}
