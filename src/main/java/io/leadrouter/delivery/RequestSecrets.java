package io.leadrouter.delivery;

import java.util.List;

/** The secrets used in the current request, carried on the exchange so the answer can be masked. */
public record RequestSecrets(List<String> values) {
    public static final String KEY = "leadRouterRequestSecrets";
}
