package io.leadrouter.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** An exception's cause chain, walked once here instead of by hand wherever a cause matters. */
public final class Causes {

    private Causes() {
    }

    /** The failure and its causes, outermost first; empty for null. Stops where a cause repeats (a cycle). */
    public static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The innermost cause, or null for null. */
    public static Throwable root(Throwable failure) {
        List<Throwable> chain = chain(failure);
        return chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }

    /** Whether the failure or any of its causes is of the type. */
    public static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return chain(failure).stream().anyMatch(type::isInstance);
    }
}
