package io.leadrouter.monitoring;

/**
 * What the events table says of one buyer, as the alerts read it.
 *
 * @param offers leads offered to it within the window that ended (delivered or finally failed)
 * @param delivered of those, delivered
 * @param meanResponseMs mean time of its answers within the window, -1 when it gave none
 * @param failuresInARow failed calls since its last delivery (counted up to a bound)
 * @param onlyTechnicalForMs how long it has answered nothing but technical failures, -1 when its last
 *        outcome was not one (or it has had none lately)
 * @param circuitOpenForMs how long its circuit has been open (probing included), -1 when it is closed or paused by hand
 */
record BuyerObservation(long offers, long delivered, double meanResponseMs, int failuresInARow, long onlyTechnicalForMs,
        long circuitOpenForMs) {
}
