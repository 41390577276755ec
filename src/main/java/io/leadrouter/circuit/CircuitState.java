package io.leadrouter.circuit;

import java.util.Locale;

/** Where a buyer's circuit stands (column buyer_circuits.state). */
public enum CircuitState {
    /** Calls go out. */
    CLOSED,
    /** Calls stop and leads are held until the next probe. */
    OPEN,
    /** One held lead is being tried; every other lead is still held. */
    PROBING,
    /** Held by an operator until resumed; no probes. */
    PAUSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CircuitState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether leads are held rather than attempted. */
    public boolean holds() {
        return this != CLOSED;
    }
}
