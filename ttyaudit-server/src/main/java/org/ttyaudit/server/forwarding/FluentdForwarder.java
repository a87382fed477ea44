package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.ttyaudit.server.notify.DeliveryFailures;
import org.ttyaudit.server.tls.ClientSockets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Forwards documents with the Fluentd Forward Protocol v1 in Forward mode, one message per batch:
 * <pre>
 * [TAG, [[EventTime, RECORD], …], {"size": N, "chunk": CHUNK_ID}]
 * </pre>
 * EventTime is the msgpack extension type 0 (seconds and nanoseconds since the epoch, each a big-endian 32-bit
 * integer); RECORD is the ECS document as a msgpack map. The {@code chunk} option asks the receiver to answer
 * {@code {"ack": CHUNK_ID}} once it has the events; the batch counts as delivered only then. No answer within the
 * timeout, a wrong one or a broken connection: the connection is closed and the batch sent again later with a new
 * chunk id (at least once: the receiver may have taken it; documents carry {@code event.id} to dedupe by).
 * The handshake of {@code <security>} (shared key) is not supported: use TLS. One kept connection; not
 * thread-safe except {@link #close()}.
 */
final class FluentdForwarder implements Forwarder {
    /** EventTime's extension type (Forward Protocol v1, "EventTime Ext Format"). */
    static final byte EVENT_TIME = 0;

    private final FluentdTarget target;
    private final SecureRandom random = new SecureRandom();
    /** The open connection, or null. */
    private volatile ClientSockets.Connection connection;
    private MessageUnpacker in;
    private volatile boolean closed;

    FluentdForwarder(FluentdTarget target) {
        this.target = target;
    }

    @Override
    public Delivery send(List<ForwardedEvent> batch) throws ForwardException {
        if (closed) {
            throw new ForwardException("the forwarder is closed");
        }
        String chunk = chunkId();
        byte[] message = message(target.tag(), batch, chunk);
        try {
            if (connection == null) {
                connect();
            }
            OutputStream out = connection.stream().getOutputStream();
            out.write(message);
            out.flush();
            String ack = readAck();
            if (!chunk.equals(ack)) {
                throw new IOException("the receiver acknowledged chunk " + ack + ", not " + chunk);
            }
            return Delivery.ALL;
        } catch (IOException | MessagePackException e) {
            disconnect();
            throw new ForwardException("fluentd forward to " + target.host() + ":" + target.port() + ": "
                    + (e instanceof IOException io ? DeliveryFailures.describe(io) : "bad answer: " + e.getMessage()),
                    null, e);
        }
    }

    /** The Forward-mode message of {@code batch} asking for the ack {@code chunk}. */
    static byte[] message(String tag, List<ForwardedEvent> batch, String chunk) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(3);
            p.packString(tag);
            p.packArrayHeader(batch.size());
            for (ForwardedEvent e : batch) {
                p.packArrayHeader(2);
                packEventTime(p, e.timestamp());
                pack(p, e.document());
            }
            p.packMapHeader(2);
            p.packString("size");
            p.packInt(batch.size());
            p.packString("chunk");
            p.packString(chunk);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("msgpack into memory cannot fail: " + e, e);
        }
    }

    private static void packEventTime(MessagePacker p, Instant t) throws IOException {
        p.packExtensionTypeHeader(EVENT_TIME, 8);
        p.writePayload(ByteBuffer.allocate(8).putInt((int) t.getEpochSecond()).putInt(t.getNano()).array());
    }

    /** A JSON value as msgpack: objects as maps, arrays, strings, integers, floats, booleans, null. */
    private static void pack(MessagePacker p, JsonNode n) throws IOException {
        if (n.isObject()) {
            p.packMapHeader(n.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                p.packString(f.getKey());
                pack(p, f.getValue());
            }
        } else if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode v : n) {
                pack(p, v);
            }
        } else if (n.isTextual()) {
            p.packString(n.textValue());
        } else if (n.isIntegralNumber() && n.canConvertToLong()) {
            p.packLong(n.longValue());
        } else if (n.isNumber()) {
            p.packDouble(n.doubleValue());
        } else if (n.isBoolean()) {
            p.packBoolean(n.booleanValue());
        } else {
            p.packNil();
        }
    }

    /** A fresh chunk id: 16 random bytes in base64, as the specification's example. */
    private String chunkId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The {@code ack} of the receiver's answer (a map); the socket's timeout bounds the wait. */
    private String readAck() throws IOException {
        Value answer = in.unpackValue();
        if (!answer.isMapValue()) {
            throw new IOException("the receiver answered " + answer.getValueType() + ", not a map with 'ack'");
        }
        for (Map.Entry<Value, Value> e : answer.asMapValue().map().entrySet()) {
            if (e.getKey().isStringValue() && e.getKey().asStringValue().asString().equals("ack")
                    && e.getValue().isStringValue()) {
                return e.getValue().asStringValue().asString();
            }
        }
        throw new IOException("the receiver's answer has no 'ack'");
    }

    private void connect() throws IOException {
        ClientSockets.Connection c = ClientSockets.open(target.host(), target.port(), target.tls(),
                target.settings().timeout());
        in = MessagePack.newDefaultUnpacker(c.stream().getInputStream());
        connection = c;
    }

    private void disconnect() {
        ClientSockets.Connection dropped = connection;
        connection = null;
        in = null;
        if (dropped != null) {
            dropped.drop();
        }
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
    }
}
