package io.leadrouter.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's options, read from system properties ({@code -Dbench.leads=500}).
 *
 * @param leads         leads per scenario (and requests for the baseline)
 * @param concurrency   requests in flight from the load generator (closed loop)
 * @param scenarios     the scenario runs to do, in order (see {@link Scenario})
 * @param slowMs        how long the slow buyer takes to answer
 * @param stallSeconds  a scenario fails when no terminal event appears for this long
 * @param maxMinutes    a scenario fails when it has not finished after this long
 * @param routerHeap    the router JVM's -Xmx
 * @param rate          leads (baseline: requests) per second to pace the load at; 0 for a closed loop
 * @param warmup        leads sent to each router (same rate) and finished before the measured ones; 0 for none
 */
public record BenchOptions(int leads, int concurrency, List<Scenario> scenarios, int slowMs, int stallSeconds,
        int maxMinutes, String routerHeap, double rate, int warmup) {

    public static BenchOptions fromSystemProperties() {
        return new BenchOptions(
                Integer.getInteger("bench.leads", 50_000),
                Integer.getInteger("bench.concurrency", 32),
                Scenario.parse(System.getProperty("bench.scenarios", "all")),
                Integer.getInteger("bench.slowMs", 2000),
                Integer.getInteger("bench.stallSeconds", 60),
                Integer.getInteger("bench.maxMinutes", 120),
                System.getProperty("bench.routerHeap", "1g"),
                Double.parseDouble(System.getProperty("bench.rate", "0")),
                Integer.getInteger("bench.warmup", 0));
    }

    /** bench.analytics=off switches the analytics rollups' trigger off in each scenario's database (to measure their cost). */
    public boolean analyticsRollups() {
        return !"off".equals(System.getProperty("bench.analytics", "on"));
    }

    public BenchOptions withLeads(int newLeads) {
        return new BenchOptions(newLeads, concurrency, scenarios, slowMs, stallSeconds, maxMinutes, routerHeap, rate, warmup);
    }

    public BenchOptions withScenarios(List<Scenario> newScenarios) {
        return new BenchOptions(leads, concurrency, newScenarios, slowMs, stallSeconds, maxMinutes, routerHeap, rate, warmup);
    }

    public BenchOptions withConcurrency(int newConcurrency) {
        return new BenchOptions(leads, newConcurrency, scenarios, slowMs, stallSeconds, maxMinutes, routerHeap, rate, warmup);
    }

    /** Names accepted by bench.scenarios: a run's name, a group's name, or {@code all}. */
    static List<Scenario> parseNames(String list) {
        Set<Scenario> chosen = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("resources")) {
                continue; // resources are measured in every router scenario
            }
            List<Scenario> matched = new ArrayList<>();
            for (Scenario scenario : Scenario.values()) {
                if (name.equals("all") || scenario.runName().equals(name) || scenario.group().equals(name)) {
                    matched.add(scenario);
                }
            }
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("bench.scenarios: unknown scenario '" + name + "'; known: all, "
                        + String.join(", ", Scenario.names()));
            }
            chosen.addAll(matched);
        }
        List<Scenario> ordered = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            if (chosen.contains(scenario)) {
                ordered.add(scenario);
            }
        }
        return ordered;
    }
}
