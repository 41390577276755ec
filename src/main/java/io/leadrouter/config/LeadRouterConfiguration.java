package io.leadrouter.config;

import com.zaxxer.hikari.HikariDataSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.console.ConsoleRoutes;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.AuditLog;
import io.leadrouter.security.ComplianceRecords;
import io.leadrouter.security.ApiKeyAuthentication;
import io.leadrouter.security.Role;
import io.leadrouter.security.ApiKeyStore;
import io.leadrouter.security.FailureThrottle;
import io.leadrouter.security.FirstAdminKey;
import io.leadrouter.security.KeyRing;
import io.leadrouter.support.AddressPolicy;
import io.leadrouter.support.HttpServerGuard;
import io.leadrouter.support.SilencedLoggers;
import io.leadrouter.analytics.AnalyticsCalendar;
import io.leadrouter.analytics.AnalyticsQueries;
import io.leadrouter.analytics.AnalyticsRollups;
import io.leadrouter.analytics.AnalyticsSettings;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.feedback.FeedbackDesk;
import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerFileParser;
import io.leadrouter.buyers.BuyerFilePlaceholders;
import io.leadrouter.buyers.BuyerFileWatcher;
import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.buyers.BuyerRouteFileInstaller;
import io.leadrouter.buyers.BuyerRouteFileReader;
import io.leadrouter.buyers.InitialBuyerScan;
import io.leadrouter.retention.EventRetention;
import io.leadrouter.retention.RetentionPolicy;
import io.leadrouter.search.EventSearch;
import io.leadrouter.search.LeadAttempts;
import io.leadrouter.search.LeadDetails;
import io.leadrouter.routing.LeadRoutingRoutes;
import io.leadrouter.buyers.SecretResolver;
import io.leadrouter.delivery.AttemptEvents;
import io.leadrouter.delivery.AttemptStart;
import io.leadrouter.delivery.CallRateLimit;
import io.leadrouter.delivery.GoneBuyers;
import io.leadrouter.delivery.RetryDelay;
import io.leadrouter.delivery.OutcomeClassifier;
import io.leadrouter.delivery.BuyerConnections;
import io.leadrouter.delivery.BuyerRequestFactory;
import io.leadrouter.delivery.BuyerRouteJson;
import io.leadrouter.routing.DeadLetterReplay;
import io.leadrouter.delivery.DeadLetters;
import io.leadrouter.delivery.HttpClientWarmUp;
import io.leadrouter.delivery.LeadFieldMask;
import io.leadrouter.delivery.RetryWhileAttemptsLeft;
import io.leadrouter.circuit.BuyerCircuits;
import io.leadrouter.circuit.CircuitPolicy;
import io.leadrouter.monitoring.AlertEvaluation;
import io.leadrouter.monitoring.AlertListing;
import io.leadrouter.monitoring.AlertNotifier;
import io.leadrouter.monitoring.AlertThresholds;
import io.leadrouter.monitoring.BuyerFilesHealthCheck;
import io.leadrouter.monitoring.DatabaseHealthCheck;
import io.leadrouter.monitoring.DeliveryMetrics;
import io.leadrouter.monitoring.FirehoseBacklogHealthCheck;
import io.leadrouter.monitoring.JolokiaClientErrors;
import io.leadrouter.monitoring.ReadyLine;
import io.leadrouter.events.EventEmitter;
import io.leadrouter.events.EventSeals;
import io.leadrouter.events.EventStore;
import io.leadrouter.events.EventWriter;
import io.leadrouter.events.FirehoseRelay;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.intake.HttpLeadIntake;
import io.leadrouter.intake.IntakeLimits;
import io.leadrouter.intake.KafkaClusterId;
import io.leadrouter.intake.KafkaLeadIntake;
import io.leadrouter.intake.LeadCompletions;
import io.leadrouter.intake.LeadDispatcher;
import io.leadrouter.intake.LeadParser;
import io.leadrouter.intake.LeadInserts;
import io.leadrouter.intake.LeadStore;
import io.leadrouter.routing.BuyerRules;
import io.leadrouter.routing.CapUsage;
import io.leadrouter.routing.HeldLeadRelease;
import io.leadrouter.routing.OfferReservations;
import io.leadrouter.routing.RoutingDecisions;
import io.leadrouter.routing.ScheduledRelease;
import io.leadrouter.routing.SuppressionFiles;
import io.leadrouter.routing.SuppressionLists;
import io.leadrouter.routing.HeldLeads;
import io.leadrouter.routing.InstancePresence;
import io.leadrouter.routing.LeadHistory;
import io.leadrouter.routing.OrphanedLeads;
import io.leadrouter.routing.LeadWalk;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.time.Duration;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import io.leadrouter.dev.SandboxBuyers;
import io.leadrouter.support.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the storage and the broker before any route starts: an external PostgreSQL and Kafka
 * when they are configured, otherwise embedded ones (and the sandbox buyers), so the quick start
 * needs nothing installed.
 */
public final class LeadRouterConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LeadRouterConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        SilencedLoggers.silence();
        Settings settings = new Settings(context);
        guardHttpServer(context, settings);

        // the database comes up while the routes are built; this service, started first, waits for it
        BackingServices backing = BackingServices.start(context, settings);
        context.addService(backing, true, true);
        try {
            wire(context, settings, backing);
        } catch (Exception | Error e) {
            // the database may still be migrating: nothing of it is left running
            backing.stopAll();
            throw e;
        }
    }

    private static void wire(CamelContext context, Settings settings, BackingServices backing) throws Exception {
        boolean embedded = backing.anyEmbedded();
        HikariDataSource dataSource = backing.dataSource();
        context.getRegistry().bind("dataSource", DataSource.class, dataSource);
        String brokers = backing.brokers();
        context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(brokers);
        LOG.info("Kafka bootstrap servers: {}", brokers);

        if (context.getRegistry().lookupByName("secretResolver") == null) {
            context.getRegistry().bind("secretResolver", SecretResolver.class, SecretResolver.fromEnvironment());
        }

        String sandbox = settings.text("leadrouter.sandbox.enabled");
        boolean sandboxOn = sandbox.equals("true") || (sandbox.equals("auto") && embedded);
        AddressPolicy buyerAddresses = AddressPolicy.allowing(settings.optionalText("leadrouter.buyers.allowed-networks").orElse(""));
        if (sandboxOn) {
            // the sample buyers post to the sandbox, on this machine
            buyerAddresses = buyerAddresses.alsoAllowing(AddressPolicy.Network.parse(
                    InetAddress.getByName(settings.text("leadrouter.sandbox.host")).getHostAddress()));
        }
        connectToBuyersThrough(context, settings, buyerAddresses);

        bindComponents(context, settings, dataSource, brokers, buyerAddresses);
        watch(context, settings, dataSource, brokers);
        // on a thread of its own while the context starts, so the first delivery finds the HTTP client warm
        context.addService(new HttpClientWarmUp(context), true, true);

        if (sandboxOn) {
            SandboxBuyers buyers = new SandboxBuyers(new InetSocketAddress(
                    settings.text("leadrouter.sandbox.host"), settings.integer("leadrouter.sandbox.port")));
            context.addService(buyers, true, true);
            buyers.start();
        }
    }

    /** The router's health checks (beside Camel's own), and the line that ends its start. */
    private static void watch(CamelContext context, Settings settings, HikariDataSource dataSource, String brokers) throws Exception {
        BuyerFileWatcher buyerFiles = context.getRegistry().lookupByNameAndType("buyerFileWatcher", BuyerFileWatcher.class);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(new DatabaseHealthCheck(dataSource));
        health.register(new FirehoseBacklogHealthCheck(dataSource));
        health.register(new BuyerFilesHealthCheck(buyerFiles));
        String management = "http://" + settings.text("camel.management.host") + ":" + settings.integer("camel.management.port");
        String api = "http://" + settings.text("camel.server.host") + ":" + settings.integer("camel.server.port")
                + " (admin key in " + settings.text("leadrouter.api.admin-key-file") + ")";
        context.addStartupListener(new JolokiaClientErrors());
        AlertThresholds thresholds = new AlertThresholds(Double.parseDouble(settings.text("leadrouter.alerts.delivery-rate-below")),
                Duration.ofSeconds(settings.integer("leadrouter.alerts.window-seconds")), settings.integer("leadrouter.alerts.min-offers"),
                Duration.ofMillis(settings.integer("leadrouter.alerts.response-time-above-ms")),
                settings.integer("leadrouter.alerts.consecutive-failures-above"),
                Duration.ofSeconds(settings.integer("leadrouter.alerts.offline-seconds")));
        AlertNotifier notifier = new AlertNotifier(settings.optionalText("leadrouter.alerts.notify-url").orElse(""),
                settings.integer("leadrouter.alerts.notify-retries") + 1, context.createProducerTemplate(), Json.MAPPER);
        context.getRegistry().bind("alertNotifier", notifier);
        context.getRegistry().bind("alertEvaluation", new AlertEvaluation(dataSource,
                context.getRegistry().lookupByNameAndType("buyerCatalog", BuyerCatalog.class), thresholds, context.createProducerTemplate(),
                FirehoseRelay.kafkaUri(settings.text("leadrouter.alerts.kafka-topic")), Json.MAPPER,
                // routing starts once the buyer files are read (InitialBuyerScan)
                () -> context.getRouteController().getRouteStatus(LeadRoutingRoutes.ROUTE_ID).isStarted(), notifier,
                context.getRegistry().lookupByNameAndType("goneBuyers", GoneBuyers.class)));
        context.getRegistry().bind("alertListing", new AlertListing(dataSource, Json.MAPPER));
        context.addStartupListener(new ReadyLine(() -> new ReadyLine.Addresses(api, management, dataSource.getJdbcUrl(), brokers), buyerFiles));
    }

    /** One pool of connections for every buyer endpoint, http and https, refusing addresses inside this network. */
    private static void connectToBuyersThrough(CamelContext context, Settings settings, AddressPolicy addresses) {
        HttpClientConnectionManager pool = BuyerConnections.pool(addresses,
                settings.integer("camel.component.http.max-total-connections"),
                settings.integer("camel.component.http.connections-per-route"));
        context.getComponent("http", HttpComponent.class).setClientConnectionManager(pool);
        context.getComponent("https", HttpComponent.class).setClientConnectionManager(pool);
    }

    /** The router's own parts, bound by the names the routes use. */
    private static void bindComponents(CamelContext context, Settings settings, DataSource dataSource, String brokers,
            AddressPolicy buyerAddresses) throws Exception {
        Registry registry = context.getRegistry();
        ObjectMapper json = Json.MAPPER;
        Clock clock = Clock.systemUTC();
        ProducerTemplate producer = context.createProducerTemplate();
        SecretResolver secrets = registry.lookupByNameAndType("secretResolver", SecretResolver.class);

        // added after the backing services and before everything else, so stopped after them all (but before the pool)
        InstancePresence presence = new InstancePresence(dataSource);
        context.addService(presence, true, true);
        registry.bind("orphanedLeads", new OrphanedLeads(dataSource, presence, json));

        guardApi(context, settings, dataSource);

        BuyerCatalog catalog = new BuyerCatalog();
        registry.bind("buyerCatalog", catalog);
        BuyerFileWatcher watcher = new BuyerFileWatcher(
                Path.of(settings.text("leadrouter.buyers.dir")), new BuyerFileParser(BuyerFilePlaceholders.of(context)), catalog,
                new BuyerRouteInstaller(context, settings.integer("leadrouter.buyers.remove-grace-seconds"), LeadRoutingRoutes.NEXT_BUYER),
                secrets, buyerAddresses, registry.lookupByNameAndType("auditLog", AuditLog.class),
                new BuyerRouteFileReader(context), new BuyerRouteFileInstaller(context, new BuyerRouteFileReader(context),
                        settings.integer("leadrouter.buyers.remove-grace-seconds")));
        registry.bind("buyerFileWatcher", watcher);
        context.addStartupListener(new InitialBuyerScan(watcher, LeadRoutingRoutes.ROUTE_ID));

        EventStore eventStore = new EventStore(dataSource, json);
        // added before the writers (each adds its queue when made), so stopped after them: their last events are published too
        FirehoseRelay relay = new FirehoseRelay(dataSource, context, FirehoseRelay.kafkaUri(settings.text("leadrouter.events.kafka-topic")),
                settings.integer("leadrouter.firehose.max-batch"),
                Duration.ofMillis(settings.integer("leadrouter.firehose.poll-ms")),
                Duration.ofSeconds(settings.integer("leadrouter.firehose.stop-grace-seconds")));
        context.addService(relay, true, true);
        EventWriter eventWriter = new EventWriter(context, eventStore, relay,
                settings.integer("leadrouter.events.max-batch"), settings.integer("leadrouter.events.queue-capacity"));
        LeadHistory history = new LeadHistory(dataSource, catalog);
        GoneBuyers gone = new GoneBuyers(dataSource, catalog);
        context.addService(gone, true, true);
        registry.bind("goneBuyers", gone);
        HeldLeads held = new HeldLeads(dataSource, json, presence.instanceId());
        registry.bind("heldLeads", held);
        BuyerCircuits circuits = new BuyerCircuits(dataSource, new CircuitPolicy(settings.integer("leadrouter.circuit.failures-to-open"),
                Duration.ofMillis(settings.integer("leadrouter.circuit.cool-down-ms")),
                Duration.ofMillis(settings.integer("leadrouter.circuit.max-cool-down-ms")),
                settings.integer("leadrouter.circuit.release-per-sweep")),
                catalog, held, new HeldLeadRelease(held, catalog, history, producer), presence.instanceId());
        context.addService(circuits, true, true);
        registry.bind("buyerCircuits", circuits);
        DeliveryMetrics metrics = new DeliveryMetrics(context, dataSource, circuits);
        context.addService(metrics, true, true);
        registry.bind("deliveryMetrics", metrics);
        EventEmitter emitter = new EventEmitter(eventWriter, List.of(metrics));
        RecipientEvents events = new RecipientEvents(json, clock);
        registry.bind("eventStore", eventStore);
        registry.bind("eventSeals", new EventSeals(dataSource));
        registry.bind("eventRetention", new EventRetention(dataSource, eventStore, new RetentionPolicy(settings.integer("leadrouter.retention.days"),
                settings.integer("leadrouter.retention.rollup-days"), settings.integer("leadrouter.retention.days-ahead")), clock));

        LeadStore leads = new LeadStore(dataSource, json, presence.instanceId());
        LeadInserts inserts = new LeadInserts(context, leads, settings.integer("leadrouter.intake.max-batch"));
        LeadDispatcher dispatcher = new LeadDispatcher(producer, metrics::leadReceived);
        LeadParser parser = new LeadParser(json, new IntakeLimits(
                settings.integer("leadrouter.intake.max-body-bytes"),
                settings.integer("leadrouter.intake.max-depth"),
                settings.integer("leadrouter.intake.max-string-length"),
                settings.integer("leadrouter.intake.max-number-digits")));
        registry.bind("leadStore", leads);
        registry.bind("httpLeadIntake", new HttpLeadIntake(parser, inserts, dispatcher, json, clock));
        registry.bind("kafkaLeadIntake", new KafkaLeadIntake(parser, inserts, dispatcher, new KafkaClusterId(brokers), clock));
        LeadCompletions completions = new LeadCompletions(context, dataSource);
        RoutingDecisions decisions = new RoutingDecisions(dataSource);
        registry.bind("leadWalk", new LeadWalk(history, catalog, completions, held, gone, decisions));
        OfferReservations reservations = new OfferReservations(dataSource, presence.instanceId(), clock);
        registry.bind("offerReservations", reservations);
        registry.bind("capUsage", new CapUsage(dataSource, clock));
        SuppressionLists suppressions = new SuppressionLists(dataSource, reservations);
        registry.bind("suppressionLists", suppressions);
        registry.bind("suppressionFiles", new SuppressionFiles(suppressions, Path.of(settings.text("leadrouter.suppressions.dir"))));
        registry.bind("buyerRules", new BuyerRules(catalog, reservations, decisions, held, clock));
        registry.bind("scheduledRelease", new ScheduledRelease(catalog, new HeldLeadRelease(held, catalog, history, producer), clock,
                settings.integer("leadrouter.rules.release-per-sweep")));

        DeadLetters deadLetters = new DeadLetters(dataSource, json);
        registry.bind("deadLetters", deadLetters);
        registry.bind("deadLetterReplay", new DeadLetterReplay(deadLetters, leads, catalog, producer, history));
        registry.bind("retryWhileAttemptsLeft", new RetryWhileAttemptsLeft());
        registry.bind("attemptStart", new AttemptStart(catalog, eventStore, clock));
        LeadFieldMask maskedFields = new LeadFieldMask(settings.list("leadrouter.events.masked-fields"));
        registry.bind("attemptEvents", new AttemptEvents(events, emitter, maskedFields));
        registry.bind("buyerRequests", new BuyerRequestFactory(secrets, clock));
        registry.bind("buyerJson", new BuyerRouteJson()); // for buyers' own route files (integration: route)
        registry.bind("outcomeClassifier", new OutcomeClassifier(maskedFields));
        registry.bind("retryDelay", new RetryDelay(Duration.ofMillis(settings.integer("leadrouter.delivery.max-retry-after-ms"))));
        registry.bind("callRateLimit", new CallRateLimit(dataSource, catalog,
                Duration.ofMillis(settings.integer("leadrouter.delivery.rate-limit-margin-ms"))));

        AnalyticsSettings analytics = new AnalyticsSettings(AnalyticsCalendar.of(settings.text("leadrouter.analytics.time-zone"),
                settings.text("leadrouter.analytics.business-hours")), settings.integer("leadrouter.analytics.max-range-days"));
        registry.bind("analyticsSettings", analytics);
        registry.bind("analyticsRollups", new AnalyticsRollups(dataSource, settings.integer("leadrouter.analytics.rollup-batch")));
        registry.bind("analyticsQueries", new AnalyticsQueries(dataSource, analytics.calendar(),
                id -> catalog.find(id).map(Buyer::name).orElse(null)));
        registry.bind("eventSearch", new EventSearch(dataSource));
        registry.bind("leadDetails", new LeadDetails(dataSource, catalog));
        registry.bind("leadAttempts", new LeadAttempts(dataSource));
        registry.bind("feedbackDesk", new FeedbackDesk(dataSource, catalog, events, eventStore, relay, analytics.calendar().zone(), clock));
    }

    /** API keys: the first admin key made if none is in force, every request authenticated, every operation's roles checked. */
    private static void guardApi(CamelContext context, Settings settings, DataSource dataSource) throws Exception {
        ApiKeyStore keys = new ApiKeyStore(dataSource);
        context.getRegistry().bind("apiKeyStore", keys);
        AuditLog audit = new AuditLog(dataSource);
        context.getRegistry().bind("auditLog", audit);
        context.getRegistry().bind("complianceRecords", new ComplianceRecords(dataSource,
                settings.list("leadrouter.compliance.consent-fields")));
        context.addService(new FirstAdminKey(keys, Path.of(settings.text("leadrouter.api.admin-key-file")), audit), true, true);
        KeyRing keyRing = new KeyRing(dataSource, keys);
        context.addService(keyRing, true, true);
        context.getRegistry().bind("keyRing", keyRing);
        context.getRegistry().bind("apiAccess", new ApiAccess(context));
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null) {
            FailureThrottle throttle = new FailureThrottle(settings.integer("leadrouter.api.max-failed-keys"),
                    settings.integer("leadrouter.api.failed-keys-window-seconds") * 1000L, 100_000, System::currentTimeMillis);
            ApiKeyAuthentication keyCheck = new ApiKeyAuthentication(keyRing, throttle);
            AuthenticationConfig authentication = server.getConfiguration().getAuthenticationConfig();
            // the console's files need no key (they hold no data); every API call they make does
            authentication.getEntries().add(keyCheck.everyPathBut(ConsoleRoutes::servesWithoutKey));
            authentication.setEnabled(true);
            // the management server: health stays open to probes; metrics and Jolokia need a key
            ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
            if (management != null) {
                AuthenticationConfig observe = management.getConfiguration().getAuthenticationConfig();
                observe.getEntries().add(keyCheck.path("/observe/metrics", Role.READ));
                observe.getEntries().add(keyCheck.path("/observe/jolokia/*", Role.OPERATE));
                observe.setEnabled(true);
            }
        }
    }

    /** Camel's HTTP server finds this Vert.x in the registry and builds the API's server from it. */
    private static void guardHttpServer(CamelContext context, Settings settings) throws Exception {
        HttpServerGuard guard = new HttpServerGuard(context, settings.integer("leadrouter.http.idle-timeout-ms"),
                settings.integer("leadrouter.http.request-read-timeout-ms"));
        Vertx vertx = Vertx.vertx();
        context.getRegistry().bind("vertx", Vertx.class, guard.watching(vertx));
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                vertx.close();
            }
        }, true, true);
    }
}
