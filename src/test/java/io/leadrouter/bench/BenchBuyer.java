package io.leadrouter.bench;

/**
 * A buyer of a benchmark scenario: its id, what kind of stub it talks to, and its priority
 * (lower goes first). Its buyer file is written by {@link BenchBuyerFiles}.
 */
public record BenchBuyer(String id, Role role, int priority) {

    /** What answers the buyer's requests. */
    public enum Role {
        /** The stub buyer's /fast: 200 and "accepted" at once. */
        FAST,
        /** The stub buyer's /slow: the same answer after bench.slowMs. */
        SLOW,
        /** A closed port on 127.0.0.1: every call is refused; after 5 its circuit opens and its leads are held. */
        REFUSING
    }

    public static BenchBuyer fast(String id, int priority) {
        return new BenchBuyer(id, Role.FAST, priority);
    }

    public static BenchBuyer slow(String id, int priority) {
        return new BenchBuyer(id, Role.SLOW, priority);
    }

    public static BenchBuyer refusing(String id, int priority) {
        return new BenchBuyer(id, Role.REFUSING, priority);
    }
}
