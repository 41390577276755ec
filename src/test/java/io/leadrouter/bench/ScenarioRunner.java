package io.leadrouter.bench;

import io.leadrouter.testing.BuyerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one scenario: its own database, topics, buyer files and router JVM; the load; the wait for
 * every terminal event in both sinks; the figures; the books; then stops the router.
 */
final class ScenarioRunner {

    /** Where one router scenario keeps its things. */
    private record Setup(Path dir, Path buyersDir, String jdbcUrl, String eventsTopic, String leadsTopic, String group, Path log) {

        /** The log of one of several router instances ({@code -1}, {@code -2} ... before the extension). */
        Path log(int instance, int instances) {
            return instances == 1 ? log : log.resolveSibling(log.getFileName().toString().replace(".log", "-" + instance + ".log"));
        }
    }

    private final BenchOptions options;
    private final BenchServices services;
    private final StubBuyerProcess stub;
    private final Path workRoot;
    private final Path logDir;
    private final String runId;
    /** Consumers given to leads so far (scenarios whose buyers de-duplicate): the next lead's is this one. */
    private int consumersSent;

    ScenarioRunner(BenchOptions options, BenchServices services, StubBuyerProcess stub, Path workRoot, Path logDir, String runId) {
        this.options = options;
        this.services = services;
        this.stub = stub;
        this.workRoot = workRoot;
        this.logDir = logDir;
        this.runId = runId;
    }

    ScenarioResult run(Scenario scenario) throws Exception {
        return switch (scenario) {
            case BASELINE -> baseline();
            case CAMEL_PROXY -> camelProxy();
            default -> throughRouter(scenario);
        };
    }

    /** Scenario 1: the same payload posted straight to the stub buyer, at the same concurrency. */
    private ScenarioResult baseline() throws Exception {
        Scenario scenario = Scenario.BASELINE;
        BaselinePayload payload = BaselinePayload.forSampleLead(stub.url("/fast"), workRoot);
        StubBuyerProcess.Counts before = stub.counts();
        LoadGenerator.Result load = LoadGenerator.post(stub.url("/fast"), payload.contentType(), payload.body(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString()), 200, options.leads(), options.concurrency(),
                options.rate(), maxTime());
        StubBuyerProcess.Counts received = stub.counts().minus(before);
        Books books = received.fast() == load.accepted()
                ? new Books(load.accepted(), -1, -1, Map.of(), 0, Map.of(), Map.of(), Map.of(), -1, -1, -1, 0, 0, List.of())
                : Books.notChecked(load.accepted(), "answered 200 " + load.accepted() + " != received by the stub " + received.fast());
        return new ScenarioResult(scenario.runName(), scenario.description(), "http", List.of("/fast"), options.leads(),
                load.accepted(), load.failures(), load.seconds(), load.seconds(), load.accepted() / load.seconds(), Double.NaN,
                Percentiles.of(load.latencyMs()), 1.0, null, null, books, received, null, null, intakeError(load));
    }

    /**
     * The peer: the sample lead through the {@link CamelProxy} (a JVM of its own, the router's heap
     * and options) to the stub buyer's /fast, at the same concurrency; warmed up as a router is.
     * Its books: every 200 the proxy answered is one request /fast received, with the baseline's bytes.
     */
    private ScenarioResult camelProxy() throws Exception {
        Scenario scenario = Scenario.CAMEL_PROXY;
        Path log = logDir.resolve(scenario.runName() + ".log");
        String expectedBody = BaselinePayload.forSampleLead(stub.url("/fast"), workRoot).body();
        CamelProxyProcess proxy = ShutdownGuard.register(CamelProxyProcess.start(stub.url("/fast"), options.routerHeap(),
                Files.createDirectories(workRoot.resolve(scenario.runName())), log));
        try {
            if (options.warmup() > 0) {
                LoadGenerator.Result warm = proxyLeads(proxy, options.warmup());
                System.out.println("[bench] " + scenario.runName() + ": " + warm.accepted() + " warm-up leads done");
            }
            StubBuyerProcess.Counts before = stub.counts();
            LoadGenerator.Result load;
            ProcessResources.Usage usage;
            try (ProcessResources resources = ProcessResources.watch(proxy.pid())) {
                load = proxyLeads(proxy, options.leads());
                usage = resources.finish();
            }
            StubBuyerProcess.Counts received = stub.counts().minus(before);
            String body = stub.lastFastBody();
            Books books = received.fast() != load.accepted()
                    ? Books.notChecked(load.accepted(), "answered 200 " + load.accepted() + " != received by the stub " + received.fast())
                    : !body.equals(expectedBody)
                            ? Books.notChecked(load.accepted(), "the stub received " + body + ", not the router's payload " + expectedBody)
                            : new Books(load.accepted(), -1, -1, Map.of(), 0, Map.of(), Map.of(), Map.of(), -1, -1, -1, 0, 0, List.of());
            return new ScenarioResult(scenario.runName(), scenario.description(), "http", List.of("/fast"), options.leads(),
                    load.accepted(), load.failures(), load.seconds(), load.seconds(), load.accepted() / load.seconds(), Double.NaN,
                    Percentiles.of(load.latencyMs()), null, usage, usage.cpuSeconds() / load.accepted() * 1000, books, received,
                    LogSummary.of(Files.readAllLines(proxy.log())), log.toString(), intakeError(load));
        } finally {
            int exit = proxy.stop();
            ShutdownGuard.release(proxy);
            if (exit != 0 && exit != 143) {
                System.err.println("[bench] camel-proxy ended with exit code " + exit + "; see " + log);
            }
        }
    }

    private LoadGenerator.Result proxyLeads(CamelProxyProcess proxy, int leads) throws InterruptedException {
        return LoadGenerator.post(proxy.url("/leads"), "application/json", BuyerFiles.SAMPLE_LEAD, Map.of(), 200, leads,
                options.concurrency(), options.rate(), maxTime());
    }

    /**
     * The router scenarios: leads through router JVMs of the scenario's own (one, or several sharing
     * the database, the topics and the intake's consumer group). CPU and RSS are those of all of them
     * together; the heap that of the largest.
     */
    private ScenarioResult throughRouter(Scenario scenario) throws Exception {
        Setup setup = prepare(scenario);
        List<String> buyerIds = scenario.buyers().stream().map(BenchBuyer::id).toList();
        List<RouterProcess> routers = new ArrayList<>();
        try {
            for (int instance = 1; instance <= scenario.instances(); instance++) {
                routers.add(ShutdownGuard.register(RouterProcess.start(new RouterProcess.Settings(setup.jdbcUrl(),
                        services.kafkaBootstrapServers(), setup.buyersDir(), setup.eventsTopic(), setup.leadsTopic(), setup.group(),
                        options.routerHeap()), setup.dir(), setup.log(instance, scenario.instances()))));
            }
            return measure(scenario, setup, buyerIds, routers);
        } finally {
            for (RouterProcess router : routers) {
                int exit = router.stop();
                ShutdownGuard.release(router);
                if (exit != 0 && exit != 143) {
                    System.err.println("[bench] a router of " + scenario.runName() + " ended with exit code " + exit + "; see " + setup.log());
                }
            }
        }
    }

    private ScenarioResult measure(Scenario scenario, Setup setup, List<String> buyerIds, List<RouterProcess> routers) throws Exception {
        RouterProcess first = routers.get(0);
        BooleanSupplier allAlive = () -> routers.stream().allMatch(RouterProcess::isAlive);
        try (EventTable table = new EventTable(setup.jdbcUrl());
                FirehoseCounter firehose = new FirehoseCounter(services.kafkaBootstrapServers(), setup.eventsTopic())) {
            for (RouterProcess router : routers) {
                router.awaitBuyers(buyerIds, Duration.ofMinutes(2));
            }
            if (!options.analyticsRollups()) {
                table.stopAnalyticsRollups();
            }
            if (scenario.intake() == Scenario.Intake.KAFKA) {
                services.awaitConsumerGroupAssigned(setup.group(), routers.size(), Duration.ofMinutes(1));
            }
            long warmedUp = warmUp(scenario, setup, first, table, firehose, buyerIds.size(), allAlive);
            StubBuyerProcess.Counts before = stub.counts();
            LoadGenerator.Result load;
            CompletionWatch.Done done;
            List<ProcessResources> watched = new ArrayList<>();
            MachineCpu machine = MachineCpu.start();
            try {
                for (RouterProcess router : routers) {
                    watched.add(ProcessResources.watch(router.pid()));
                }
                load = sendLeads(scenario, setup, first, options.leads());
                try {
                    done = new CompletionWatch(table, firehose, (warmedUp + load.accepted()) * (long) buyerIds.size(),
                            Duration.ofSeconds(options.stallSeconds()), allAlive).await(maxTime());
                } catch (CompletionWatch.NotFinished e) {
                    return new ScenarioResult(scenario.runName(), scenario.description(), intakeName(scenario), buyerIds,
                            options.leads(), load.accepted(), load.failures(), load.seconds(), Double.NaN, Double.NaN,
                            Double.NaN, null, null, finish(watched), null, Books.check(scenario, warmedUp + load.accepted(), table, firehose),
                            stub.counts().minus(before), RouterProcess.logSummary(routers), logNames(setup, routers.size()), e.getMessage());
                }
            } finally {
                watched.forEach(ProcessResources::close);
            }
            double machineBusy = machine.busyCores();
            ProcessResources.Usage usage = finish(watched);
            System.out.printf(java.util.Locale.ROOT, "[bench] %s: the machine's CPUs %.2f of %d cores busy while measured (the router's JVMs %.2f)%n",
                    scenario.runName(), machineBusy, Runtime.getRuntime().availableProcessors(),
                    usage.cpuSeconds() / ((System.nanoTime() - load.startNanos()) / 1e9));
            awaitSettled(scenario, table, firehose, warmedUp + load.accepted());
            Books books = Books.check(scenario, warmedUp + load.accepted(), table, firehose);
            System.out.println("[bench] " + scenario.runName() + ": PostgreSQL " + table.storagePerLead());
            if (Boolean.getBoolean("bench.explain")) {
                System.out.println("[bench] " + scenario.runName() + ": the statements run at least once per 100 leads, EXPLAINed on the full tables:");
                table.hotQueryPlans((warmedUp + load.accepted()) / 100).forEach(plan -> System.out.println("    " + plan));
            }
            System.out.println("[bench] " + scenario.runName() + ": " + table.stages(scenario.fastBuyerIds()));
            double seconds = (done.lastNanos() - load.startNanos()) / 1e9;
            return new ScenarioResult(scenario.runName(), scenario.description(), intakeName(scenario), buyerIds,
                    options.leads(), load.accepted(), load.failures(), load.seconds(), seconds, load.accepted() / seconds,
                    table.throughput(scenario.fastBuyerIds()).perSecond(), table.latency(scenario.fastBuyerIds()), null, usage,
                    usage.cpuSeconds() / load.accepted() * 1000, books, stub.counts().minus(before), RouterProcess.logSummary(routers),
                    logNames(setup, routers.size()), intakeError(load));
        }
    }

    private static String logNames(Setup setup, int instances) {
        return instances == 1 ? setup.log().toString() : setup.log(1, instances) + " .. " + setup.log(instances, instances).getFileName();
    }

    private static ProcessResources.Usage finish(List<ProcessResources> watched) {
        return ProcessResources.Usage.ofAll(watched.stream().map(ProcessResources::finish).toList());
    }

    /** A fresh database, fresh topics and the scenario's buyer files. */
    private Setup prepare(Scenario scenario) throws Exception {
        String name = scenario.runName();
        Path dir = Files.createDirectories(workRoot.resolve(name));
        Path buyersDir = Files.createDirectories(dir.resolve("buyers"));
        for (BenchBuyer buyer : scenario.buyers()) {
            int timeoutMs = buyer.role() == BenchBuyer.Role.SLOW ? options.slowMs() + 5000 : 5000;
            BenchBuyerFiles.write(buyersDir, buyer, urlOf(buyer), timeoutMs);
        }
        String prefix = "bench-" + runId + "-" + name;
        String jdbcUrl = services.newDatabase(("bench_" + runId + "_" + name).replace('-', '_'));
        services.createTopics(prefix + "-events", prefix + "-leads", prefix + "-leads-invalid");
        return new Setup(dir, buyersDir, jdbcUrl, prefix + "-events", prefix + "-leads", prefix + "-router",
                logDir.resolve(name + "-router.log"));
    }

    private LoadGenerator.Result sendLeads(Scenario scenario, Setup setup, RouterProcess router, int leads)
            throws InterruptedException, IOException {
        if (scenario.intake() == Scenario.Intake.KAFKA) {
            return LoadGenerator.produce(services.kafkaBootstrapServers(), setup.leadsTopic(), BuyerFiles.SAMPLE_LEAD,
                    leads, options.rate(), maxTime());
        }
        if (scenario.distinctConsumers()) {
            int first = consumersSent;
            consumersSent += leads;
            return LoadGenerator.post(router.url("/leads"), "application/json", i -> leadOfConsumer(first + i),
                    router.authorization(), 202, leads, options.concurrency(), options.rate(), maxTime());
        }
        return LoadGenerator.post(router.url("/leads"), "application/json", BuyerFiles.SAMPLE_LEAD, router.authorization(), 202,
                leads, options.concurrency(), options.rate(), maxTime());
    }

    /**
     * The sample lead with consumer n's e-mail and phone ({@code ann.n@example.com}, {@code (555) nnn-nnnn}),
     * for scenarios whose buyers de-duplicate consumers: every lead a consumer of its own (up to ten
     * million per run), so none is a duplicate; the rest of the lead, and so every other rule's answer, is
     * the sample's.
     */
    static String leadOfConsumer(int n) {
        String lead = BuyerFiles.SAMPLE_LEAD
                .replace("\"ann@example.com\"", "\"ann." + n + "@example.com\"")
                .replace("\"(555) 123-4567\"", String.format(Locale.ROOT, "\"(555) %03d-%04d\"", n / 10_000 % 1000, n % 10_000));
        if (lead.equals(BuyerFiles.SAMPLE_LEAD) || n >= 10_000_000) {
            throw new IllegalStateException("cannot give lead " + n + " a consumer of its own");
        }
        return lead;
    }

    /**
     * With {@code bench.warmup}: that many leads first, the same way, and finished, so that the
     * measured leads meet a router whose code the JIT has compiled. They count in the books, not
     * in the figures (latency and rates are of the leads received after them). Answers how many
     * were accepted.
     */
    private long warmUp(Scenario scenario, Setup setup, RouterProcess router, EventTable table, FirehoseCounter firehose,
            int buyers, BooleanSupplier routersAlive) throws Exception {
        if (options.warmup() <= 0) {
            return 0;
        }
        LoadGenerator.Result warm = sendLeads(scenario, setup, router, options.warmup());
        new CompletionWatch(table, firehose, warm.accepted() * (long) buyers, Duration.ofSeconds(options.stallSeconds()),
                routersAlive).await(maxTime());
        table.measureFrom(Instant.now());
        System.out.println("[bench] " + scenario.runName() + ": " + warm.accepted() + " warm-up leads done");
        return warm.accepted();
    }

    /**
     * After the last terminal event: gives the firehose a bounded moment to catch up with the
     * table (the attempt events before it), the dead letters to be written, and the offers' cap slots
     * and consumer claims to be settled (after the delivered event).
     */
    private static void awaitSettled(Scenario scenario, EventTable table, FirehoseCounter firehose, long accepted) {
        try {
            Awaitility.await("sinks to settle").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> table.events() == firehose.distinctEvents()
                            && (!scenario.hasRefusingBuyer() || table.deadLetters() + table.heldLeads() >= accepted)
                            && (!scenario.hasRules() || table.unsettledReservations() == 0));
        } catch (ConditionTimeoutException e) {
            // the books say what is missing
        }
    }

    private String urlOf(BenchBuyer buyer) {
        return switch (buyer.role()) {
            case FAST -> stub.url("/fast");
            case SLOW -> stub.url("/slow");
            case REFUSING -> "http://127.0.0.1:" + RouterProcess.freePort() + "/refused"; // nothing listens there
        };
    }

    private static String intakeName(Scenario scenario) {
        return scenario.intake().name().toLowerCase(Locale.ROOT);
    }

    private static String intakeError(LoadGenerator.Result load) {
        return load.failed() > 0 ? load.failed() + " lead(s) not accepted: " + load.failures() : null;
    }

    private Duration maxTime() {
        return Duration.ofMinutes(options.maxMinutes());
    }
}
