package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.Buyer.CredentialRef;
import io.leadrouter.buyers.SecretResolver;
import io.leadrouter.support.WebhookSignature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Maps a lead to a buyer's format and adds the buyer's headers and credentials. */
public final class BuyerRequestFactory {

    private final LeadMapper mapper = new LeadMapper();
    private final PayloadWriter writer = new PayloadWriter();
    private final BuyerRouteInput routeInput = new BuyerRouteInput();
    private final SecretResolver secrets;
    private final Clock clock;

    public BuyerRequestFactory(SecretResolver secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Step {@code build-request}: puts the buyer's request on the message, for camel-http to send, or for
     * the buyer's own route with what else it is given ({@link BuyerRouteInput}).
     *
     * @throws RequestNotBuiltException when the lead does not fit the buyer's mapping or a secret is missing
     */
    public void build(Exchange exchange) {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        exchange.setProperty(ExchangeKeys.CALL_STARTED_NANOS, System.nanoTime());
        BuyerRequest request;
        try {
            request = create(attempt);
            if (attempt.buyer().route() != null) {
                routeInput.prepare(exchange, attempt);
            }
        } catch (RuntimeException e) {
            throw new RequestNotBuiltException(e);
        }
        Message message = exchange.getMessage();
        request.headers().forEach(message::setHeader);
        message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        message.setBody(request.body());
        exchange.setProperty(RequestSecrets.KEY, new RequestSecrets(request.secrets()));
        exchange.setProperty(SentRequest.KEY, new SentRequest(attempt.buyer().endpoint().method(), HttpEndpoints.displayUrl(attempt.buyer()),
                request.contentType(), request.headers(), request.body(), request.secrets()));
        exchange.setProperty(ExchangeKeys.HTTP_URI, HttpEndpoints.uriFor(attempt.buyer()));
    }

    /** @throws MissingSecretException when a credential's environment variable is not set */
    public BuyerRequest create(DeliveryAttempt attempt) {
        Buyer buyer = attempt.buyer();
        Map<String, Object> fields = mapper.map(buyer.mapping(), attempt.lead().payload());
        Map<String, String> headers = new LinkedHashMap<>(buyer.headers());
        List<String> used = new ArrayList<>();
        for (CredentialRef credential : buyer.credentials()) {
            String secret = secrets.resolve(credential.env()).orElseThrow(() -> new MissingSecretException(credential.env()));
            used.add(secret);
            String value = credential.prefix() + secret;
            if (credential.header() != null) {
                headers.put(credential.header(), value);
            } else {
                fields.put(credential.field(), value);
            }
        }
        headers.put("Idempotency-Key", attempt.idempotencyKey());
        String body = writer.write(buyer.format(), buyer.xmlRoot(), fields);
        if (buyer.signing() != null) {
            sign(buyer.signing().secretEnv(), attempt.idempotencyKey(), body, headers, used);
        }
        return new BuyerRequest(body, writer.contentType(buyer.format()), headers, List.copyOf(used));
    }

    /** The Standard Webhooks headers; the id is the idempotency key, the same for every retry and replay of the lead. */
    private void sign(String env, String id, String body, Map<String, String> headers, List<String> used) {
        String secret = secrets.resolve(env).orElseThrow(() -> new MissingSecretException(env));
        used.add(secret);
        byte[] key;
        try {
            key = WebhookSignature.key(secret);
        } catch (IllegalArgumentException e) {
            throw new MissingSecretException(env, "is not a signing secret (whsec_ and base64): it " + e.getMessage());
        }
        used.add(secret.substring("whsec_".length()));
        long timestamp = clock.instant().getEpochSecond();
        headers.put(WebhookSignature.ID, id);
        headers.put(WebhookSignature.TIMESTAMP, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE, WebhookSignature.sign(key, id, timestamp, body));
    }

    /** A credential's secret is not in the environment: the attempt fails as Invalid Credentials. */
    public static final class MissingSecretException extends RuntimeException {
        public MissingSecretException(String name) {
            this(name, "is not set in the environment");
        }

        public MissingSecretException(String name, String problem) {
            super("the secret " + name + " " + problem, null, false, false);
        }
    }
}
