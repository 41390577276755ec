package io.leadrouter.routes;

import static io.leadrouter.routes.ScriptedAttempts.Answer.ACCEPTED;
import static io.leadrouter.routes.ScriptedAttempts.Answer.DATABASE_UNREACHABLE;
import static io.leadrouter.routes.ScriptedAttempts.Answer.REJECTED;
import static io.leadrouter.routes.ScriptedAttempts.Answer.SERVER_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.delivery.RetryableDeliveryException;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.Buyer.RetryPolicy;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Lead;
import io.leadrouter.routes.ScriptedAttempts.Answer;
import io.leadrouter.routes.ScriptedAttempts.Call;
import io.leadrouter.routing.LeadRoutingRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One buyer's route, made from the {@code buyer-delivery} template as the router makes it, with
 * the dead-letter route: which failures are retried, how long it waits between tries, and where
 * the lead goes after. The attempt itself is scripted; the dead-letter store and the lead's next
 * buyer are mock endpoints.
 */
class BuyerDeliveryRouteTest extends ProjectRouteTestSupport {

    private static final String NEXT_BUYER = "mock:" + LeadRoutingRoutes.NEXT_BUYER;
    private static final RetryPolicy THREE_QUICK_ATTEMPTS = new RetryPolicy(3, 5, 2.0, 20);

    private final Lead lead = SampleLeads.lead("lead_RouteTest00001");
    private ScriptedAttempts attempts;

    @Override
    public void configureContext(CamelContextConfiguration camelContextConfiguration) {
        super.configureContext(camelContextConfiguration);
        camelContextConfiguration.withMockEndpointsAndSkip(LeadRoutingRoutes.NEXT_BUYER);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> routes = new ArrayList<>(ProjectYamlRoutes.withoutKafkaConsumers(context));
        DeliveryAttemptStub.addTo(context, exchange -> attempts.process(exchange));
        return routes.toArray(RoutesBuilder[]::new);
    }

    @Test
    void technicalFailuresAreRetriedUntilTheBuyersAttemptsAreUsedUpThenTheLeadIsDeadLetteredOnce() throws Exception {
        MockEndpoint deadLetters = expect(DeadLetterStore.MOCK, 1);
        MockEndpoint nextBuyer = expect(NEXT_BUYER, 1);

        deliver(SampleBuyers.buyer("rcp_Failing01", THREE_QUICK_ATTEMPTS), SERVER_ERROR);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(3, attempts.calls().size(), "every attempt the buyer allows, and no more");
        Exchange deadLetter = deadLetters.getExchanges().get(0);
        assertEquals(3, deadLetter.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class).attemptNumber());
        assertInstanceOf(RetryableDeliveryException.class, deadLetter.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(FailureReason.SERVER_ERROR, outcomeOf(nextBuyer).failureReason());
    }

    @Test
    void aTechnicalFailureThenAnAcceptanceEndsTheRetriesWithoutDeadLetter() throws Exception {
        expect(DeadLetterStore.MOCK, 0);
        MockEndpoint nextBuyer = expect(NEXT_BUYER, 1);

        deliver(SampleBuyers.buyer("rcp_Flaky001", THREE_QUICK_ATTEMPTS), SERVER_ERROR, ACCEPTED);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of(SERVER_ERROR, ACCEPTED), answers());
        assertTrue(outcomeOf(nextBuyer).accepted());
    }

    @Test
    void aBusinessFailureGoesStraightToTheNextBuyerWithoutRetry() throws Exception {
        expect(DeadLetterStore.MOCK, 0);
        MockEndpoint nextBuyer = expect(NEXT_BUYER, 1);

        deliver(SampleBuyers.buyer("rcp_Refusing1", THREE_QUICK_ATTEMPTS), REJECTED);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of(REJECTED), answers());
        assertEquals(FailureReason.REJECTED, outcomeOf(nextBuyer).failureReason());
    }

    @Test
    void aDatabaseOutageIsWaitedOutBeyondTheBuyersAttempts() throws Exception {
        expect(DeadLetterStore.MOCK, 0);
        MockEndpoint nextBuyer = expect(NEXT_BUYER, 1);

        deliver(SampleBuyers.buyer("rcp_DbOutage1", new RetryPolicy(2, 5, 2.0, 10)),
                DATABASE_UNREACHABLE, DATABASE_UNREACHABLE, DATABASE_UNREACHABLE, DATABASE_UNREACHABLE, ACCEPTED);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(5, attempts.calls().size(), "four tries in the outage, though the buyer allows two attempts");
        assertTrue(outcomeOf(nextBuyer).accepted());
    }

    @ParameterizedTest
    @EnumSource(names = {"BAD_STATEMENT", "ROUTER_BUG"})
    void aFaultOfTheRouterIsDeadLetteredAtOnce(Answer fault) throws Exception {
        MockEndpoint deadLetters = expect(DeadLetterStore.MOCK, 1);
        expect(NEXT_BUYER, 1);

        deliver(SampleBuyers.buyer("rcp_RouterBug1", THREE_QUICK_ATTEMPTS), fault);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of(fault), answers(), "a router fault is not the buyer's: waiting does not cure it");
        assertNull(deadLetters.getExchanges().get(0).getProperty(ExchangeKeys.OUTCOME), "no buyer answer to record");
    }

    @Test
    void theWaitBetweenRetriesGrowsUpToTheBuyersMaximumDelay() throws Exception {
        expect(DeadLetterStore.MOCK, 1);

        deliver(SampleBuyers.buyer("rcp_Backoff01", new RetryPolicy(5, 20, 3.0, 60)), SERVER_ERROR);

        MockEndpoint.assertIsSatisfied(context);
        List<Long> waitsMs = waitsBetween(attempts.calls());
        assertEquals(4, waitsMs.size(), "four retries after the first attempt");
        List<Long> leastWaitsMs = List.of(20L, 60L, 60L, 60L);
        for (int retry = 0; retry < waitsMs.size(); retry++) {
            assertTrue(waitsMs.get(retry) >= leastWaitsMs.get(retry), "retry " + (retry + 1) + " came after " + waitsMs + " ms");
        }
        // uncapped, the last wait would be 20 * 3^3 = 540 ms; the cap makes it 60 ms (the rest is a busy machine's slack)
        assertTrue(waitsMs.get(3) < 540, "the last wait is capped at the maximum delay: " + waitsMs);
    }

    /** Starts the buyer's route as the router installs it, and hands it the lead as the lead's walk does. */
    private void deliver(Buyer buyer, Answer... script) throws Exception {
        attempts = new ScriptedAttempts(buyer, script);
        DeadLetterStore.replaceWithMock(context);
        OneThreadBuyerRoutes.in(context).install(buyer, null);
        context.start();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute(BuyerRouteInstaller.routeId(buyer.id())).whenDone(1).create();
        template.send("seda:deliver-" + buyer.id(), exchange -> {
            exchange.setProperty(ExchangeKeys.LEAD, lead);
            exchange.getMessage().setBody(lead);
        });
        assertTrue(done.matches(5, TimeUnit.SECONDS), "the buyer's route is done with the lead");
    }

    private MockEndpoint expect(String uri, int count) {
        MockEndpoint mock = getMockEndpoint(uri);
        mock.expectedMessageCount(count);
        return mock;
    }

    private List<Answer> answers() {
        return attempts.calls().stream().map(Call::answer).toList();
    }

    private static List<Long> waitsBetween(List<Call> calls) {
        List<Long> waits = new ArrayList<>();
        for (int i = 1; i < calls.size(); i++) {
            waits.add(TimeUnit.NANOSECONDS.toMillis(calls.get(i).nanoTime() - calls.get(i - 1).nanoTime()));
        }
        return waits;
    }

    private static DeliveryOutcome outcomeOf(MockEndpoint nextBuyer) {
        return nextBuyer.getExchanges().get(0).getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
    }
}
