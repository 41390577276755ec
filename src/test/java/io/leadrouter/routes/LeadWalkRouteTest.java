package io.leadrouter.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.buyers.BuyerFileParser;
import io.leadrouter.buyers.BuyerFileWatcher;
import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.buyers.BuyerFileChanges;
import io.leadrouter.buyers.SecretResolver;
import io.leadrouter.support.AddressPolicy;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.intake.LeadDispatcher;
import io.leadrouter.model.Lead;
import io.leadrouter.routing.LeadHistory;
import io.leadrouter.routing.LeadRoutingRoutes;
import io.leadrouter.delivery.GoneBuyers;
import io.leadrouter.routing.LeadWalk;
import io.leadrouter.testing.BuyerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new lead's walk through its buyers (routes {@code lead-routing}, {@code offer-to-buyers},
 * {@code next-buyer}) with the buyers' real routes, installed from buyer files as the router
 * installs them; only the attempt is answered by {@link AnsweringBuyers}, and the walk's last step
 * (marking the lead complete in the database) is a mock endpoint.
 */
class LeadWalkRouteTest extends ProjectRouteTestSupport {

    private static final String COMPLETED = "mock:lead-completed";
    private static final String ALPHA = "rcp_Alpha";
    private static final String BRAVO = "rcp_Bravo";
    private static final String CHARLIE_EXCLUSIVE = "rcp_CharlieX";
    private static final String DELTA = "rcp_Delta";
    /** Reads the buyer file schema once for all the tests. */
    private static final BuyerFileParser BUYER_FILE_PARSER = new BuyerFileParser();

    @TempDir
    Path buyersFolder;

    private final BuyerCatalog catalog = new BuyerCatalog();
    private final AnsweringBuyers buyers = new AnsweringBuyers();
    private final Lead lead = SampleLeads.lead("lead_WalkTest000001");
    private BuyerFileWatcher buyerFiles;

    @Override
    public void configureContext(CamelContextConfiguration camelContextConfiguration) {
        super.configureContext(camelContextConfiguration);
        Properties settings = new Properties();
        settings.setProperty("leadrouter.routing.concurrency", "4");
        camelContextConfiguration.withUseOverridePropertiesWithPropertiesComponent(settings);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        // a new lead's walk reads no history, and its completion mark is replaced: no database is needed
        registry.bind("leadWalk", new LeadWalk(new LeadHistory(null, catalog), catalog, null, null, new GoneBuyers(null, catalog), null));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        // the walk's own queues are polled once a second by default, and a test context would wait that long to stop
        context.getComponent("seda", SedaComponent.class).setDefaultPollTimeout(50);
        // the timer that takes over leads left by a router gone reads them from the database
        ProjectYamlRoutes.leaveOut(context, route -> "lead-recovery".equals(route.getRouteId()));
        List<RoutesBuilder> routes = new ArrayList<>(ProjectYamlRoutes.withoutKafkaConsumers(context));
        routes.add(new LeadRoutingRoutes());
        DeliveryAttemptStub.addTo(context, buyers);
        return routes.toArray(RoutesBuilder[]::new);
    }

    @BeforeEach
    void startRouter() throws Exception {
        DeadLetterStore.replaceWithMock(context);
        AdviceWith.adviceWith(context, "offer-to-buyers",
                route -> route.weaveById("complete-lead").replace().to(COMPLETED));
        context.start();
        buyerFiles = new BuyerFileWatcher(buyersFolder, BUYER_FILE_PARSER, catalog,
                OneThreadBuyerRoutes.in(context), new SecretResolver(name -> null), AddressPolicy.allowing("127.0.0.0/8"),
                BuyerFileChanges.NONE);
    }

    @Test
    void eachWaveIsOfferedOnlyOnceEveryBuyerOfTheWaveBeforeHasAnswered() throws Exception {
        installBuyers(buyerFile(ALPHA, 10, false), buyerFile(BRAVO, 20, false), buyerFile(CHARLIE_EXCLUSIVE, 30, true),
                buyerFile(DELTA, 40, false));
        // the only way to see a walk that does not wait for the whole wave: the slow answer would come after the next offer
        buyers.holdsItsAnswer(ALPHA, CHARLIE_EXCLUSIVE, Duration.ofMillis(300));

        walk(lead);

        List<String> offered = buyers.offered();
        assertEquals(4, offered.size(), "each buyer once: " + offered);
        assertEquals(Set.of(ALPHA, BRAVO), Set.copyOf(offered.subList(0, 2)), "the two non-exclusive buyers first, as one wave");
        assertEquals(List.of(CHARLIE_EXCLUSIVE, DELTA), offered.subList(2, 4), "then by priority");
        List<String> journal = buyers.journal();
        assertTrue(journal.indexOf("offer " + CHARLIE_EXCLUSIVE) > journal.indexOf("answer " + ALPHA),
                "the exclusive buyer waits for the slowest answer of the wave before it: " + journal);
        assertTrue(journal.indexOf("offer " + DELTA) > journal.indexOf("answer " + CHARLIE_EXCLUSIVE), journal.toString());
    }

    @Test
    void anExclusiveSaleEndsTheWalk() throws Exception {
        installBuyers(buyerFile(ALPHA, 10, false), buyerFile(CHARLIE_EXCLUSIVE, 30, true), buyerFile(DELTA, 40, false));
        buyers.accepts(CHARLIE_EXCLUSIVE);

        walk(lead);

        assertEquals(List.of(ALPHA, CHARLIE_EXCLUSIVE), buyers.offered());
    }

    @Test
    void aNonExclusiveSalePassesOverTheExclusiveBuyersOnly() throws Exception {
        installBuyers(buyerFile(ALPHA, 10, false), buyerFile(CHARLIE_EXCLUSIVE, 30, true), buyerFile(DELTA, 40, false));
        buyers.accepts(ALPHA);

        walk(lead);

        assertEquals(List.of(ALPHA, DELTA), buyers.offered());
    }

    @Test
    void aBuyerWhoseRouteWentAwayAfterThePlanIsPassedOverAndItsWaveStillFinishes() throws Exception {
        installBuyers(buyerFile(ALPHA, 10, false), buyerFile(BRAVO, 20, false), buyerFile(CHARLIE_EXCLUSIVE, 30, true));
        // still in the catalog when the wave is planned, but nobody takes its queue any more
        context.getRouteController().stopRoute(BuyerRouteInstaller.routeId(BRAVO));
        context.removeRoute(BuyerRouteInstaller.routeId(BRAVO));

        walk(lead);

        assertEquals(List.of(ALPHA, CHARLIE_EXCLUSIVE), buyers.offered());
    }

    @Test
    void aLeadWithoutBuyersIsCompleteAtOnce() throws Exception {
        installBuyers();

        walk(lead);

        assertEquals(List.of(), buyers.offered());
    }

    private static String buyerFile(String id, int priority, boolean exclusive) {
        return BuyerFiles.jsonBuyer(id, "Buyer " + id, "http://127.0.0.1:9/never-called", priority, exclusive, 1);
    }

    /** Buyer files as an operator writes them, loaded as the router loads them; then the walk starts, as at startup. */
    private void installBuyers(String... files) throws Exception {
        for (int i = 0; i < files.length; i++) {
            Files.writeString(buyersFolder.resolve("buyer-" + i + ".yaml"), files[i]);
        }
        buyerFiles.scan();
        assertEquals(files.length, catalog.all().size(), "every buyer file loaded: " + buyerFiles.fileStates());
        context.getRouteController().startRoute(LeadRoutingRoutes.ROUTE_ID);
    }

    /** Hands the lead to the walk as intake does, and waits until the walk marks it complete, once. */
    private void walk(Lead lead) throws Exception {
        MockEndpoint completed = getMockEndpoint(COMPLETED);
        completed.expectedMessageCount(1);
        completed.expectedPropertyReceived(ExchangeKeys.LEAD, lead);
        completed.setAssertPeriod(100); // and no second completion right after the first
        getMockEndpoint(DeadLetterStore.MOCK).expectedMessageCount(0);

        template.sendBody(LeadDispatcher.ENDPOINT, lead);

        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
    }
}
