package io.leadrouter.delivery;

import java.util.List;
import java.util.Map;

/**
 * Everything sent to a buyer for one attempt.
 *
 * @param secrets the secret values used in it, so they can be masked in anything stored
 */
public record BuyerRequest(String body, String contentType, Map<String, String> headers, List<String> secrets) {
}
