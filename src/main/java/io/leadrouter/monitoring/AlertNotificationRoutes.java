package io.leadrouter.monitoring;

import org.apache.camel.builder.RouteBuilder;

/** Posts alert notifications ({@link AlertNotifier}): queued, retried with back-off, then logged and dropped. */
public final class AlertNotificationRoutes extends RouteBuilder {

    static final String ENDPOINT = "seda:alert-notifications";

    @Override
    public void configure() {
        from(ENDPOINT + "?size=1000").routeId("notify-alert")
                .errorHandler(deadLetterChannel("direct:alert-notification-failed")
                        .maximumRedeliveries(Integer.parseInt(setting("leadrouter.alerts.notify-retries")))
                        .redeliveryDelay(Long.parseLong(setting("leadrouter.alerts.notify-retry-delay-ms")))
                        .useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(300_000)
                        .asyncDelayedRedelivery()
                        // the default logs would print the exception, whose text holds the URL
                        .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logHandled(false))
                .bean("alertNotifier", "prepare").id("address-notification")
                // the host is a stand-in: the request goes to the URL in the CamelHttpUri header
                .to("http://alert-notification?httpMethod=POST&connectTimeout=5000&responseTimeout=10000&soTimeout=10000")
                    .id("post-notification");

        from("direct:alert-notification-failed").routeId("alert-notification-failed")
                .bean("alertNotifier", "gaveUp").id("give-up-notification");
    }

    private String setting(String key) {
        return getContext().resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
