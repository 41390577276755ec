package io.leadrouter.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs of the benchmark, in the order they run. Every router run gets a router JVM of its
 * own, with a fresh database, fresh topics and its own buyer files, so no run sees another's data.
 * Buyers are non-exclusive, so each receives every lead; the router walks them by priority.
 */
public enum Scenario {

    BASELINE("baseline", "baseline", Intake.NONE, List.of(),
            "plain java.net.http client posting the mapped payload straight to the stub buyer's /fast"),
    CAMEL_PROXY("camel-proxy", "camel-proxy", Intake.HTTP, List.of(),
            "the peer: a plain Camel app (platform-http, Jackson mapping, camel-http to /fast; no database, no Kafka)"),
    ROUTER_HTTP("router-http", "router", Intake.HTTP, List.of(BenchBuyer.fast("rcp_benchFast1", 1)),
            "one /fast buyer, leads through POST /leads"),
    ROUTER_KAFKA("router-kafka", "router", Intake.KAFKA, List.of(BenchBuyer.fast("rcp_benchFast1", 1)),
            "one /fast buyer, leads through the Kafka leads topic"),
    ROUTER_KAFKA_2("router-kafka-2", "scale-out", Intake.KAFKA, List.of(BenchBuyer.fast("rcp_benchFast1", 1)), 2,
            "router-kafka with two router instances in one consumer group, on one database and one Kafka cluster"),
    FANOUT_3("fanout-3", "fanout", Intake.HTTP, fastBuyers(3),
            "three non-exclusive /fast buyers, each lead to all three"),
    RULES_3("rules-3", "rules", Intake.HTTP, rulesBuyers(),
            "fanout-3 with buyer rules that let every lead through: buyer 1 an accept_if of four conditions (in, min/max,"
                    + " an RE2 matches, an any group) and a schedule open all week, buyer 2 caps (leads a day, budget a month:"
                    + " a slot reserved and settled per offer), buyer 3 dedupe (a consumer claim per offer); each lead its own"
                    + " e-mail and phone"),
    FANOUT_10("fanout-10", "fanout", Intake.HTTP, fastBuyers(10),
            "ten non-exclusive /fast buyers, each lead to all ten"),
    ISOLATION_SOLO("isolation-solo", "isolation", Intake.HTTP, List.of(BenchBuyer.fast("rcp_benchFast1", 2)),
            "the /fast buyer alone (reference for isolation and storm)"),
    ISOLATION_SLOW("isolation-slow", "isolation", Intake.HTTP, List.of(
            BenchBuyer.slow("rcp_benchSlow1", 1), BenchBuyer.fast("rcp_benchFast1", 2)),
            "the /fast buyer beside a /slow buyer (slow one first by priority)"),
    STORM("storm", "storm", Intake.HTTP, List.of(
            BenchBuyer.refusing("rcp_benchRefusing1", 1), BenchBuyer.fast("rcp_benchFast1", 2)),
            "the /fast buyer beside a buyer on a closed port (refusing one first; its circuit opens and holds its leads)"),
    ISOLATION_SLOW_AFTER("isolation-slow-after", "isolation", Intake.HTTP, List.of(
            BenchBuyer.fast("rcp_benchFast1", 1), BenchBuyer.slow("rcp_benchSlow1", 2)),
            "the /fast buyer beside a /slow buyer that comes after it by priority (the bulkhead alone)"),
    STORM_AFTER("storm-after", "storm", Intake.HTTP, List.of(
            BenchBuyer.fast("rcp_benchFast1", 1), BenchBuyer.refusing("rcp_benchRefusing1", 2)),
            "the /fast buyer beside a buyer on a closed port that comes after it by priority");

    /** How leads enter the router in a run. */
    public enum Intake { NONE, HTTP, KAFKA }

    private final String runName;
    private final String group;
    private final Intake intake;
    private final List<BenchBuyer> buyers;
    private final int instances;
    private final String description;

    Scenario(String runName, String group, Intake intake, List<BenchBuyer> buyers, String description) {
        this(runName, group, intake, buyers, 1, description);
    }

    Scenario(String runName, String group, Intake intake, List<BenchBuyer> buyers, int instances, String description) {
        this.runName = runName;
        this.group = group;
        this.intake = intake;
        this.buyers = buyers;
        this.instances = instances;
        this.description = description;
    }

    /** How many router instances share the run's database, topics and consumer group. */
    public int instances() {
        return instances;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String runName() {
        return runName;
    }

    public String group() {
        return group;
    }

    public Intake intake() {
        return intake;
    }

    public List<BenchBuyer> buyers() {
        return buyers;
    }

    public String description() {
        return description;
    }

    /** The /fast buyers, whose delivered events give the latency and the fast buyer's throughput. */
    public List<String> fastBuyerIds() {
        return buyers.stream().filter(b -> b.role() == BenchBuyer.Role.FAST).map(BenchBuyer::id).toList();
    }

    public boolean hasRefusingBuyer() {
        return buyers.stream().anyMatch(b -> b.role() == BenchBuyer.Role.REFUSING);
    }

    /** {@code count} non-exclusive /fast buyers, rcp_benchFast1 first by priority. */
    private static List<BenchBuyer> fastBuyers(int count) {
        List<BenchBuyer> buyers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            buyers.add(BenchBuyer.fast("rcp_benchFast" + i, i));
        }
        return List.copyOf(buyers);
    }

    /**
     * rules-3's buyers: fanout-3's, each with rules every bench lead passes, so that each offer runs the
     * rules' code (the filter and schedule in memory, the caps' and the dedupe's reservation and settlement
     * in PostgreSQL) and is still delivered.
     */
    private static List<BenchBuyer> rulesBuyers() {
        List<BenchBuyer> fast = fastBuyers(3);
        return List.of(
                fast.get(0).withRules("""
                        accept_if:
                          - field: state
                            in: [TX, OK, LA, CA]
                          - field: score
                            min: 1
                            max: 100
                          - field: email
                            matches: '@(example|mail\\.example)\\.com$'
                          - any:
                              - field: zip
                                in: ["10001", "94105"]
                              - field: phone
                                present: true
                        schedule:
                          hours:
                            mon: "00:00-24:00"
                            tue: "00:00-24:00"
                            wed: "00:00-24:00"
                            thu: "00:00-24:00"
                            fri: "00:00-24:00"
                            sat: "00:00-24:00"
                            sun: "00:00-24:00"
                        """),
                fast.get(1).withRules("""
                        caps:
                          leads: {day: 100000000}
                          budget: {month: 1000000}
                        """),
                fast.get(2).withRules("""
                        dedupe: {window_days: 30}
                        """));
    }

    /** Whether a buyer de-duplicates consumers: then each lead of the scenario carries an e-mail and phone of its own. */
    public boolean distinctConsumers() {
        return buyers.stream().anyMatch(BenchBuyer::dedupes);
    }

    /** Whether any of its buyers has routing rules (then its books also check that they let every lead through). */
    public boolean hasRules() {
        return buyers.stream().anyMatch(b -> !b.rules().isEmpty());
    }

    public static List<Scenario> parse(String list) {
        return BenchOptions.parseNames(list);
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Scenario scenario : values()) {
            if (!names.contains(scenario.group)) {
                names.add(scenario.group);
            }
            if (!names.contains(scenario.runName)) {
                names.add(scenario.runName);
            }
        }
        return names;
    }
}
