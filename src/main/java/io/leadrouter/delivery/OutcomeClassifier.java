package io.leadrouter.delivery;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import io.leadrouter.support.Causes;

/**
 * The one place where what happened to an attempt becomes a {@link DeliveryOutcome} in the failure
 * vocabulary: the buyer's answer ({@link ResponseInterpreter}), a call that got no answer
 * ({@link TransportFailureClassifier}), a request that could not be built, and the router's own
 * faults (Router Error, for the dead letters). Thread-safe.
 */
public final class OutcomeClassifier {

    private final ResponseInterpreter interpreter = new ResponseInterpreter();
    private final TransportFailureClassifier transportFailures = new TransportFailureClassifier();
    private final ReasonMatcher reasons = new ReasonMatcher();
    private final LeadFieldMask mask;

    public OutcomeClassifier(LeadFieldMask mask) {
        this.mask = mask;
    }

    /** Step {@code classify-answer}: the buyer answered; what does its answer mean? */
    public void classifyAnswer(Exchange exchange) {
        Buyer buyer = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class).buyer();
        Message response = exchange.getMessage();
        String declined = BuyerRouteInput.declined(exchange);
        if (declined != null) {
            classifyDeclined(exchange, buyer, declined);
            return;
        }
        Integer status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            // only a buyer's own route can end so: a fault of its file, which goes to the dead letters at once
            throw new IllegalStateException("the route of buyer " + buyer.id() + " ended without the buyer's HTTP answer"
                    + " (header " + Exchange.HTTP_RESPONSE_CODE + ") or " + BuyerRouteInput.DECLINED);
        }
        classify(exchange, buyer, status, response.getBody(String.class));
    }

    private void classify(Exchange exchange, Buyer buyer, int status, String answer) {
        String body = masked(exchange, answer);
        Duration retryAfter = status == 429 || status == 503
                ? RetryAfter.parse(exchange.getMessage().getHeader("Retry-After", String.class), Instant.now()).orElse(null) : null;
        BuyerVerdict verdict = interpreter.interpret(buyer.response(), status, body, retryAfter);
        if (retryAfter != null) {
            exchange.setProperty(ExchangeKeys.RETRY_AFTER, retryAfter); // for the next attempt's delay (RetryDelay)
        }
        exchange.setProperty(ExchangeKeys.OUTCOME, new DeliveryOutcome(verdict.accepted(), status, verdict.bodyForEvent(),
                verdict.buyerLeadId(), verdict.payout(), verdict.failureReason(), verdict.details(), durationMs(exchange)));
    }

    /** A buyer's route declined the lead itself (a ping/post buyer's bid below the floor): a refusal, read like a buyer's reason. */
    private void classifyDeclined(Exchange exchange, Buyer buyer, String declined) {
        String text = masked(exchange, declined);
        FailureReason reason = reasons.match(buyer.response().reasons(), text);
        exchange.setProperty(ExchangeKeys.OUTCOME, new DeliveryOutcome(false, null, null, null, null, reason,
                "buyer declined the lead: " + text, durationMs(exchange)));
    }

    /** Step {@code classify-failure}: no answer came, or no request could be made ({@code exception} is why). */
    public void classifyFailure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Buyer buyer = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class).buyer();
        HttpOperationFailedException answered = Causes.chain(error).stream().filter(HttpOperationFailedException.class::isInstance)
                .map(HttpOperationFailedException.class::cast).findFirst().orElse(null);
        if (answered != null) {
            // a buyer's route left camel-http's throwExceptionOnFailure on: the exception carries the buyer's answer
            classify(exchange, buyer, answered.getStatusCode(), answered.getResponseBody());
            return;
        }
        FailureReason reason;
        String details;
        if (error instanceof RequestNotBuiltException notBuilt) {
            reason = notBuilt.getCause() instanceof BuyerRequestFactory.MissingSecretException
                    ? FailureReason.INVALID_CREDENTIALS : FailureReason.INVALID_DATA;
            details = masked(exchange, "the request could not be built: " + notBuilt.getCause().getMessage());
        } else {
            TransportFailureClassifier.ClassifiedFailure failure = transportFailures.classify(error, buyer.endpoint());
            reason = failure.reason();
            details = masked(exchange, failure.details());
        }
        exchange.setProperty(ExchangeKeys.OUTCOME,
                new DeliveryOutcome(false, null, null, null, null, reason, details, durationMs(exchange)));
    }

    /**
     * Why a lead is dead-lettered: the buyer's last failure, or a Router Error when there is none (the
     * router itself failed, or failed after the buyer took the lead).
     */
    public static DeliveryOutcome deadLetterFailure(DeliveryOutcome last, Throwable cause) {
        if (last != null && !last.accepted()) {
            return last;
        }
        String details = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new DeliveryOutcome(false, null, null, null, null, FailureReason.ROUTER_ERROR, details, 0);
    }

    /** Whether the outcome asks for another attempt: the rule of the route's last step. */
    public static boolean retryEligible(Exchange exchange) {
        return exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class).retryEligible();
    }

    /**
     * What of the buyer's answer (or of a failure's details) may be kept: the request's credentials
     * and the lead's masked fields masked; the fields found are noted for the event.
     */
    private String masked(Exchange exchange, String text) {
        List<String> found = new ArrayList<>();
        String masked = mask.mask(SecretRedactor.redact(text, secrets(exchange)), exchange.getProperty(ExchangeKeys.ATTEMPT,
                DeliveryAttempt.class).lead(), found);
        exchange.setProperty(ExchangeKeys.MASKED_FIELDS, found);
        return masked;
    }

    private static List<String> secrets(Exchange exchange) {
        RequestSecrets secrets = exchange.getProperty(RequestSecrets.KEY, RequestSecrets.class);
        return secrets == null ? List.of() : secrets.values();
    }

    private static long durationMs(Exchange exchange) {
        Long started = exchange.getProperty(ExchangeKeys.CALL_STARTED_NANOS, Long.class);
        return started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    }
}
