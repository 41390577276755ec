package io.leadrouter.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Lead;
import io.leadrouter.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one attempt sent to its buyer, kept beside the attempt's outcome event so that a failure can
 * be investigated with the request in view (the spec's "review full request/response"). It is not
 * part of the event: it stays out of the firehose and the events API.
 */
public record SentRequest(String method, String url, String contentType, Map<String, String> headers, String body,
        List<String> secrets) {

    /** On the exchange from the request's building to the attempt's outcome. */
    public static final String KEY = "leadRouterSentRequest";

    /** The request as stored: the credentials and the lead's masked fields as {@value SecretRedactor#MASK}. */
    public ObjectNode stored(LeadFieldMask mask, Lead lead) {
        List<String> ignored = new ArrayList<>();
        ObjectNode stored = Json.MAPPER.createObjectNode()
                .put("method", method)
                .put("url", SecretRedactor.redact(url, secrets));
        ObjectNode storedHeaders = stored.putObject("headers");
        storedHeaders.put("Content-Type", contentType);
        headers.forEach((name, value) -> storedHeaders.put(name, mask.mask(SecretRedactor.redact(value, secrets), lead, ignored)));
        stored.put("body", mask.mask(SecretRedactor.redact(body, secrets), lead, ignored));
        return stored;
    }
}
