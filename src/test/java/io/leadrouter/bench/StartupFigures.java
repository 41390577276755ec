package io.leadrouter.bench;

import java.util.Map;

/**
 * One start of the router, in seconds after {@code java -jar}: when its HTTP port took connections,
 * when {@code POST /leads} first answered 202, when that lead's {@code recipient.delivered} could be
 * read, and when each marker line of its log was written.
 *
 * @param cpuSeconds  the router process's CPU time (user and system) when the lead was read delivered
 * @param loadAverage the machine's one-minute load average when the run began
 */
record StartupFigures(double listening, double accepted, double delivered, double cpuSeconds, Map<String, Double> logMarks, double loadAverage) {
}
