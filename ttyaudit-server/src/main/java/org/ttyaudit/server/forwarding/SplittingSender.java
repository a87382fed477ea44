package org.ttyaudit.server.forwarding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sends a batch to an HTTP receiver as one request, or as several in feed order when it is too large: cut up
 * front so that no request of several documents exceeds the {@link RequestSizeLimit}; a request answered 413
 * (too large) is halved and each half sent (the limit learns from it), down to a single document, which the
 * receiver refusing as too large even alone is {@linkplain Forwarder.Delivery#rejected rejected} with its size,
 * so that forwarding goes on: sent again it would be refused again, for ever.
 * <p>
 * The batch succeeds when every piece was taken; a piece that fails otherwise ({@link ForwardException}) fails the
 * whole batch, which the worker sends again later: pieces sent before it go again, which the receivers' at least
 * once delivery allows (Elasticsearch answers them 409, by {@code _id}). Used by the forwarder's one worker thread.
 */
final class SplittingSender {

    /** Sends one piece (its documents and their encoded body) and says what became of it. */
    @FunctionalInterface
    interface Piece {
        Outcome send(List<ForwardedEvent> events, byte[] body) throws ForwardException, InterruptedException;
    }

    /** What the receiver did with a piece. */
    record Outcome(Kind kind, List<Forwarder.Rejection> rejected, String answer) {
        enum Kind { TAKEN, TOO_LARGE, ONE_BY_ONE }

        Outcome {
            Objects.requireNonNull(kind, "kind");
            rejected = List.copyOf(rejected);
        }

        /** Taken, but for {@code rejected}. */
        static Outcome taken(List<Forwarder.Rejection> rejected) {
            return new Outcome(Kind.TAKEN, rejected, "");
        }

        /** Refused as too large (413); {@code answer} says so in the receiver's words ("HTTP 413: …"). */
        static Outcome tooLarge(String answer) {
            return new Outcome(Kind.TOO_LARGE, List.of(), answer);
        }

        /** Refused for what some document holds (HEC's 400): to be sent a document at a time to find which. */
        static Outcome oneByOne() {
            return new Outcome(Kind.ONE_BY_ONE, List.of(), "");
        }
    }

    private final RequestSizeLimit limit;
    private final Function<ForwardedEvent, byte[]> encoder;
    private final Piece piece;

    /**
     * @param encoder a document's part of a request body (a body is the parts one after the other)
     */
    SplittingSender(RequestSizeLimit limit, Function<ForwardedEvent, byte[]> encoder, Piece piece) {
        this.limit = limit;
        this.encoder = encoder;
        this.piece = piece;
    }

    Forwarder.Delivery send(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        long before = limit.bytes();
        try {
            return sendAll(batch);
        } finally {
            limit.logIfLowered(before);
        }
    }

    private Forwarder.Delivery sendAll(List<ForwardedEvent> batch) throws ForwardException, InterruptedException {
        List<byte[]> parts = new ArrayList<>(batch.size());
        batch.forEach(e -> parts.add(encoder.apply(e)));
        List<Forwarder.Rejection> rejected = new ArrayList<>();
        Deque<Range> todo = new ArrayDeque<>();
        todo.push(new Range(0, batch.size()));
        while (!todo.isEmpty()) {
            Range r = todo.pop();
            long bytes = r.bytes(parts);
            if (r.count() > 1 && bytes > limit.bytes()) {
                pushInOrder(todo, r.cut(parts, limit.bytes()));
                continue;
            }
            List<ForwardedEvent> events = batch.subList(r.from(), r.to());
            Outcome o = piece.send(events, r.body(parts));
            switch (o.kind()) {
                case TAKEN -> {
                    limit.taken(bytes);
                    rejected.addAll(o.rejected());
                }
                case TOO_LARGE -> {
                    if (r.count() == 1) {
                        rejected.add(new Forwarder.Rejection(events.get(0), limit.tooLarge(
                                events.get(0).json().getBytes(StandardCharsets.UTF_8).length,
                                bytes, o.answer())));
                    } else {
                        limit.refused(bytes);
                        int middle = r.from() + r.count() / 2;
                        pushInOrder(todo, List.of(new Range(r.from(), middle), new Range(middle, r.to())));
                    }
                }
                case ONE_BY_ONE -> {
                    if (r.count() == 1) {
                        throw new IllegalStateException("a single document cannot be sent one by one");
                    }
                    List<Range> singles = new ArrayList<>();
                    for (int i = r.from(); i < r.to(); i++) {
                        singles.add(new Range(i, i + 1));
                    }
                    pushInOrder(todo, singles);
                }
            }
        }
        return new Forwarder.Delivery(rejected);
    }

    /** Puts {@code ranges} at the front of {@code todo}, the first of them first. */
    private static void pushInOrder(Deque<Range> todo, List<Range> ranges) {
        for (int i = ranges.size() - 1; i >= 0; i--) {
            todo.push(ranges.get(i));
        }
    }

    /** Documents {@code from} (inclusive) to {@code to} (exclusive) of the batch. */
    private record Range(int from, int to) {
        int count() {
            return to - from;
        }

        long bytes(List<byte[]> parts) {
            long n = 0;
            for (int i = from; i < to; i++) {
                n += parts.get(i).length;
            }
            return n;
        }

        byte[] body(List<byte[]> parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                    bytes(parts)));
            for (int i = from; i < to; i++) {
                out.writeBytes(parts.get(i));
            }
            return out.toByteArray();
        }

        /** This range in pieces of at most {@code max} bytes each (a document larger than that on its own). */
        List<Range> cut(List<byte[]> parts, long max) {
            List<Range> out = new ArrayList<>();
            int start = from;
            long size = 0;
            for (int i = from; i < to; i++) {
                long part = parts.get(i).length;
                if (i > start && size + part > max) {
                    out.add(new Range(start, i));
                    start = i;
                    size = 0;
                }
                size += part;
            }
            out.add(new Range(start, to));
            return out;
        }
    }
}
