package io.leadrouter.bench;

import java.util.List;
import java.util.Map;

/**
 * The figures of one scenario run.
 *
 * @param leadsPerSecond    accepted leads (baseline: answered requests) per second, from the first
 *                          intake to the last terminal event in both sinks (baseline: last answer)
 * @param fastPerSecond     delivered events of the /fast buyer(s) per second (router clock)
 * @param latency           router: intake to delivered, /fast buyers, from the table; baseline: client-side
 * @param ratioToBaseline   leads per second / baseline requests per second
 * @param error             why the run is not a result, or null
 */
record ScenarioResult(String scenario, String description, String intake, List<String> buyers, int leadsRequested,
        long accepted, Map<String, Integer> intakeFailures, double intakeSeconds, double seconds, double leadsPerSecond,
        double fastPerSecond, EventTable.Latency latency, Double ratioToBaseline, ProcessResources.Usage router,
        Double cpuSecondsPer1000Leads, Books books, StubBuyerProcess.Counts stubRequests, LogSummary routerLog,
        String routerLogFile, String error) {

    /** A run that failed before it had figures (the router did not start, ...). */
    static ScenarioResult failed(Scenario scenario, int leadsRequested, Exception cause) {
        return new ScenarioResult(scenario.runName(), scenario.description(), scenario.intake().name().toLowerCase(),
                scenario.buyers().stream().map(BenchBuyer::id).toList(), leadsRequested, 0, Map.of(), Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, null, null, null, null, Books.notChecked(0, "not checked: " + cause), null, null, null,
                String.valueOf(cause));
    }

    boolean balanced() {
        return error == null && books != null && books.balanced();
    }

    ScenarioResult withRatio(Double ratio) {
        return new ScenarioResult(scenario, description, intake, buyers, leadsRequested, accepted, intakeFailures,
                intakeSeconds, seconds, leadsPerSecond, fastPerSecond, latency, ratio, router, cpuSecondsPer1000Leads, books,
                stubRequests, routerLog, routerLogFile, error);
    }
}
