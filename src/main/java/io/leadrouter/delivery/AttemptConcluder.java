package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Buyer;
import io.leadrouter.events.EventEmitter;
import io.leadrouter.events.RecipientEvents;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Last step of an attempt: reads what the buyer answered (or why no answer came), classifies it,
 * records {@code recipient.delivered} or {@code recipient.failed}, and throws
 * {@link RetryableDeliveryException} for a technical failure so that redelivery takes over.
 */
public final class AttemptConcluder implements Processor {

    private final ResponseInterpreter interpreter = new ResponseInterpreter();
    private final TransportFailureClassifier transportFailures = new TransportFailureClassifier();
    private final RecipientEvents events;
    private final EventEmitter emitter;

    public AttemptConcluder(RecipientEvents events, EventEmitter emitter) {
        this.events = events;
        this.emitter = emitter;
    }

    @Override
    public void process(Exchange exchange) throws RetryableDeliveryException {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        long started = exchange.getProperty(ExchangeKeys.CALL_STARTED_NANOS, Long.class);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        List<String> secrets = exchange.getProperty(RequestSecrets.KEY, new RequestSecrets(List.of()), RequestSecrets.class).values();

        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        DeliveryOutcome outcome = error != null
                ? fromError(attempt.buyer(), error, secrets, durationMs)
                : fromResponse(attempt.buyer(), exchange.getMessage(), secrets, durationMs);
        exchange.setProperty(ExchangeKeys.OUTCOME, outcome);

        String url = HttpEndpoints.displayUrl(attempt.buyer());
        emitter.emit(outcome.accepted() ? events.delivered(attempt, outcome, url) : events.failed(attempt, outcome, url));
        if (outcome.retryEligible()) {
            throw new RetryableDeliveryException(attempt, outcome);
        }
    }

    private DeliveryOutcome fromError(Buyer buyer, Throwable error, List<String> secrets, long durationMs) {
        if (error instanceof RequestNotBuiltException notBuilt) {
            FailureReason reason = notBuilt.getCause() instanceof BuyerRequestFactory.MissingSecretException
                    ? FailureReason.INVALID_CREDENTIALS : FailureReason.INVALID_DATA;
            return new DeliveryOutcome(false, null, null, null, null, reason,
                    "the request could not be built: " + notBuilt.getCause().getMessage(), durationMs);
        }
        TransportFailureClassifier.ClassifiedFailure failure = transportFailures.classify(error, buyer.endpoint());
        return new DeliveryOutcome(false, null, null, null, null, failure.reason(),
                SecretRedactor.redact(failure.details(), secrets), durationMs);
    }

    private DeliveryOutcome fromResponse(Buyer buyer, Message response, List<String> secrets, long durationMs) {
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = SecretRedactor.redact(response.getBody(String.class), secrets);
        BuyerVerdict verdict = interpreter.interpret(buyer.response(), status, body);
        return new DeliveryOutcome(verdict.accepted(), status, verdict.bodyForEvent(), verdict.buyerLeadId(),
                verdict.payout(), verdict.failureReason(), verdict.details(), durationMs);
    }
}
