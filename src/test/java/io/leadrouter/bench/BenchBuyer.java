package io.leadrouter.bench;

/**
 * A buyer of a benchmark scenario: its id, what kind of stub it talks to, its priority (lower goes
 * first), and the routing rules of its file (YAML, empty for none). Its buyer file is written by
 * {@link BenchBuyerFiles}.
 */
public record BenchBuyer(String id, Role role, int priority, String rules) {

    /** What answers the buyer's requests. */
    public enum Role {
        /** The stub buyer's /fast: 200 and "accepted" at once. */
        FAST,
        /** The stub buyer's /slow: the same answer after bench.slowMs. */
        SLOW,
        /** A closed port on 127.0.0.1: every call is refused; after 5 its circuit opens and its leads are held. */
        REFUSING
    }

    public BenchBuyer(String id, Role role, int priority) {
        this(id, role, priority, "");
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

    /** The same buyer with these routing rules (top-level keys of a buyer file: accept_if, caps, dedupe, schedule). */
    public BenchBuyer withRules(String yaml) {
        return new BenchBuyer(id, role, priority, yaml);
    }

    /** Whether its rules de-duplicate consumers: the scenario's leads must then each carry a consumer of their own. */
    boolean dedupes() {
        return hasRule("dedupe");
    }

    /** Whether its rules cap it: every offer reserves a slot, kept once it bought. */
    boolean caps() {
        return hasRule("caps");
    }

    private boolean hasRule(String key) {
        return rules.lines().anyMatch(line -> line.startsWith(key + ":"));
    }
}
