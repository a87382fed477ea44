package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.Value;
import org.ttyaudit.core.config.YamlConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Fluentd forwarder against the Forward Protocol Specification v1: the exact bytes of a Forward-mode message
 * (written out by hand from the specification), and a receiver in the test that decodes what arrives with
 * msgpack and acknowledges it; a lost acknowledgement makes the batch go again (at least once).
 */
class FluentdForwarderTest {

    private static ForwardedEvent event(String id, Instant at) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("a", "b");
        return new ForwardedEvent(id, at, "x", null, doc);
    }

    @Test
    void aForwardModeMessageIsTheSpecificationsBytes() {
        byte[] m = FluentdForwarder.message("ttyaudit", List.of(event("e", Instant.ofEpochSecond(0x5f5e1000L,
                123_456_789))), "c1");
        String expected = "93"                       // [tag, entries, option]
                + "a8" + "7474796175646974"          // fixstr(8) "ttyaudit"
                + "91"                               // one entry
                + "92"                               // [time, record]
                + "d700" + "5f5e1000" + "075bcd15"   // fixext 8, type 0 (EventTime): seconds, nanoseconds
                + "81" + "a161" + "a162"             // {"a": "b"}
                + "82" + "a473697a65" + "01" + "a56368756e6b" + "a26331";   // {"size": 1, "chunk": "c1"}
        assertThat(HexFormat.of().formatHex(m)).isEqualTo(expected);
    }

    @Test
    void theReceiverDecodesTheBatchAndItsAckCompletesTheSend() throws Exception {
        try (Receiver fluentd = new Receiver(n -> true)) {
            Forwarder f = target(fluentd.port()).open(Clock.systemUTC());
            Instant at = Instant.parse("2026-11-25T10:00:00.5Z");
            assertThat(f.send(List.of(event("1", at), event("2", at))).rejected()).isEmpty();
            assertThat(f.send(List.of(event("3", at))).rejected()).isEmpty();

            assertThat(fluentd.messages).hasSize(2);
            Value first = fluentd.messages.get(0);
            List<Value> parts = first.asArrayValue().list();
            assertThat(parts.get(0).asStringValue().asString()).isEqualTo("app.audit");
            List<Value> entries = parts.get(1).asArrayValue().list();
            assertThat(entries).hasSize(2);
            ExtensionValue time = entries.get(0).asArrayValue().get(0).asExtensionValue();
            assertThat(time.getType()).isZero();
            ByteBuffer t = ByteBuffer.wrap(time.getData());
            assertThat(Instant.ofEpochSecond(t.getInt() & 0xffffffffL, t.getInt())).isEqualTo(at);
            assertThat(entries.get(1).asArrayValue().get(1).toJson()).isEqualTo("{\"a\":\"b\"}");
            Map<Value, Value> option = parts.get(2).asMapValue().map();
            assertThat(option.get(org.msgpack.value.ValueFactory.newString("size")).asIntegerValue().asInt())
                    .isEqualTo(2);
            assertThat(fluentd.connections.get()).isEqualTo(1);   // the connection is kept
        }
    }

    @Test
    void aLostAckSendsTheBatchAgainWithANewChunk() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        try (Receiver fluentd = new Receiver(n -> seen.incrementAndGet() > 1)) {   // the first ack is lost
            Forwarder f = target(fluentd.port()).open(Clock.systemUTC());
            List<ForwardedEvent> batch = List.of(event("1", Instant.EPOCH));
            assertThatThrownBy(() -> f.send(batch)).isInstanceOf(ForwardException.class)
                    .hasMessageContaining("127.0.0.1:" + fluentd.port());
            assertThat(f.send(batch).rejected()).isEmpty();

            assertThat(fluentd.messages).hasSize(2);
            assertThat(fluentd.messages.get(1).asArrayValue().get(1)).isEqualTo(fluentd.messages.get(0)
                    .asArrayValue().get(1));
            assertThat(chunk(fluentd.messages.get(1))).isNotEqualTo(chunk(fluentd.messages.get(0)));
            assertThat(fluentd.connections.get()).isEqualTo(2);   // the connection without an ack was dropped
        }
    }

    @Test
    void aWrongAckIsNotADelivery() throws Exception {
        try (Receiver fluentd = new Receiver(n -> true)) {
            fluentd.wrongAck = true;
            Forwarder f = target(fluentd.port()).open(Clock.systemUTC());
            assertThatThrownBy(() -> f.send(List.of(event("1", Instant.EPOCH)))).isInstanceOf(ForwardException.class)
                    .hasMessageContaining("acknowledged chunk");
        }
    }

    private static FluentdTarget target(int port) {
        return (FluentdTarget) ForwardingSettings.parse(YamlConfig.parse("forwarders:\n  - {name: fd, type: fluentd,"
                + " host: 127.0.0.1, port: " + port + ", protocol: tcp, tag: app.audit, timeout: 500ms}\n",
                "server.yaml")).forwarders().get(0);
    }

    private static String chunk(Value message) {
        for (Map.Entry<Value, Value> e : message.asArrayValue().get(2).asMapValue().map().entrySet()) {
            if (e.getKey().asStringValue().asString().equals("chunk")) {
                return e.getValue().asStringValue().asString();
            }
        }
        throw new AssertionError("no chunk option in " + message);
    }

    /** A Fluentd forward input stand-in: decodes each message with msgpack and acks it when the test says so. */
    private static final class Receiver implements AutoCloseable {
        final List<Value> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger connections = new AtomicInteger();
        volatile boolean wrongAck;
        private final ServerSocket server;
        private final java.util.function.IntPredicate ack;
        private final Thread thread;

        Receiver(java.util.function.IntPredicate ack) throws IOException {
            this.ack = ack;
            this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            this.thread = new Thread(this::serve, "fluentd-stand-in");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    MessageUnpacker in = MessagePack.newDefaultUnpacker(s.getInputStream());
                    while (in.hasNext()) {
                        Value m = in.unpackValue();
                        messages.add(m);
                        if (ack.test(messages.size())) {
                            try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
                                p.packMapHeader(1).packString("ack").packString(wrongAck ? "nope" : chunk(m));
                                s.getOutputStream().write(p.toByteArray());
                                s.getOutputStream().flush();
                            }
                        }
                    }
                } catch (SocketException closed) {
                    // the forwarder dropped the connection, or the test ended
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
