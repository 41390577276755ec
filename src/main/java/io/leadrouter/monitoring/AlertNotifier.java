package io.leadrouter.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each raised and resolved alert to the notification URL (leadrouter.alerts.notify-url, from
 * the environment: a Slack-style webhook URL is a secret) as a Slack-compatible body
 * {@code {"text": "…"}}. The post runs on its own route ({@link AlertNotificationRoutes}), queued and
 * retried with back-off, so a notification endpoint that is slow or down never holds up an alert
 * round, let alone a delivery. The URL is set on the request by {@link #prepare} rather than
 * written in an endpoint URI, so that it appears in no route, endpoint list, MBean or log.
 */
public final class AlertNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

    private final String url;
    private final int attempts;
    private final ProducerTemplate producer;
    private final ObjectMapper json;

    /**
     * @param url      the notification URL, or blank for none
     * @param attempts how many times a post is tried (leadrouter.alerts.notify-retries + 1), for the log
     */
    public AlertNotifier(String url, int attempts, ProducerTemplate producer, ObjectMapper json) {
        this.url = url == null ? "" : url.trim();
        this.attempts = attempts;
        this.producer = producer;
        this.json = json;
    }

    /** Queues the notification of one alert's change; never waits for the post. */
    void notify(String alert, String status, String recipientId, String message) {
        if (url.isEmpty()) {
            return;
        }
        String text = "Lead Router: alert " + alert + " " + status + " for " + recipientId + ". " + message;
        try {
            producer.sendBody(AlertNotificationRoutes.ENDPOINT, json.createObjectNode().put("text", text).toString());
        } catch (RuntimeException e) {
            LOG.error("Alert {} {} for {} not notified (the notification queue refused it: {}); it is in the alerts table",
                    alert, status, recipientId, e.getClass().getSimpleName());
        }
    }

    /** Step {@code address-notification}: the request's URL and content type. */
    public void prepare(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_URI, url);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** Step {@code give-up-notification}: every attempt failed. Says why without the URL, which may hold a token. */
    public void gaveUp(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause instanceof HttpOperationFailedException failed ? "HTTP " + failed.getStatusCode()
                : cause == null ? "unknown" : cause.getClass().getSimpleName();
        LOG.error("Alert notification not delivered after {} attempt(s) ({}): {}", attempts, why, exchange.getMessage().getBody(String.class));
    }
}
