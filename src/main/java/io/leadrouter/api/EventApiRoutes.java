package io.leadrouter.api;

import io.leadrouter.search.EventCursor;
import io.leadrouter.search.EventFilter;
import io.leadrouter.search.EventSearch;
import io.leadrouter.search.ExportFormat;
import io.leadrouter.security.AccessDeniedException;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.Caller;
import io.leadrouter.security.Role;
import io.leadrouter.support.Json;
import io.leadrouter.support.JsonResponses;
import io.leadrouter.support.Quoted;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

/**
 * {@code GET /events}: events by filters, a page at a time; {@code GET /exports/events}: all of them,
 * streamed as NDJSON or CSV ({@link EventSearch}). A buyer key sees its own buyer's events only.
 */
public final class EventApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        filters(rest("/events").tag("events")
                .get().id("api-events").routeId("api-events")
                    .description("Events by filters, a page at a time (newest first unless order=oldest); 'next' is the cursor"
                            + " of the following page (a buyer key: its own buyer's events)")
                    .security(ApiAccess.SCHEME, "read,buyer")
                    .param().name("limit").type(RestParamType.query).required(false).description("1 to 1000, default 100").endParam()
                    .param().name("cursor").type(RestParamType.query).required(false)
                        .description("the previous page's 'next', with the same filters").endParam())
                    .responseMessage().code(400).message("a filter is wrong: the message names it").endResponseMessage()
                    .to("direct:api-events");
        filters(rest("/exports/events").tag("events")
                .get().id("api-export-events").routeId("api-export-events")
                    .description("Every event the filters find, oldest first unless order=newest, streamed as NDJSON or CSV"
                            + " (README 'Exports'); gzip when Accept-Encoding allows (a buyer key: its own buyer's events)")
                    .security(ApiAccess.SCHEME, "read,buyer")
                    .param().name("format").type(RestParamType.query).required(false).description("ndjson (default) or csv").endParam())
                    .responseMessage().code(400).message("a filter is wrong: the message names it").endResponseMessage()
                    .to("direct:api-export-events");

        from("direct:api-events").routeConfigurationId(ApiErrors.ID)
                .process(this::page).id("list-events");
        // the body is a stream the HTTP server reads as it sends: never cached whole
        from("direct:api-export-events").routeConfigurationId(ApiErrors.ID).streamCache("false")
                .process(this::export).id("export-events");
    }

    private static RestDefinition filters(RestDefinition rest) {
        return rest
                .param().name("recipient_id").type(RestParamType.query).required(false).description("a buyer's id").endParam()
                .param().name("event_type").type(RestParamType.query).required(false)
                    .description("recipient.delivery_attempt, recipient.delivered, recipient.failed or recipient.feedback").endParam()
                .param().name("category").type(RestParamType.query).required(false)
                    .description("failure category: technical, business, authentication or internal").endParam()
                .param().name("reason").type(RestParamType.query).required(false).description("failure reason, e.g. Timeout").endParam()
                .param().name("lead_id").type(RestParamType.query).required(false).endParam()
                .param().name("outcome").type(RestParamType.query).required(false).description("success or failed").endParam()
                .param().name("from").type(RestParamType.query).required(false).description("ISO-8601 instant, inclusive").endParam()
                .param().name("to").type(RestParamType.query).required(false).description("ISO-8601 instant, exclusive").endParam()
                .param().name("order").type(RestParamType.query).required(false).description("newest or oldest").endParam();
    }

    private void page(Exchange exchange) throws Exception {
        EventFilter filter;
        Optional<EventCursor> cursor;
        int limit;
        try {
            filter = filter(exchange, true);
            String after = header(exchange, "cursor");
            cursor = after == null || after.isBlank() ? Optional.empty() : Optional.of(EventCursor.decode(after, filter));
            limit = limit(header(exchange, "limit"));
        } catch (EventFilter.BadFilter e) {
            JsonResponses.error(exchange, 400, e.getMessage());
            return;
        }
        EventSearch.Page page = lookup(EventSearch.class, "eventSearch").page(filter, cursor, limit);
        var body = Json.MAPPER.createObjectNode();
        body.put("order", filter.newestFirst() ? "newest" : "oldest");
        body.set("events", page.events());
        body.put("next", page.next().map(EventCursor::encode).orElse(null));
        JsonResponses.respond(exchange, 200, body);
    }

    private void export(Exchange exchange) throws Exception {
        EventFilter filter;
        ExportFormat format;
        try {
            filter = filter(exchange, false);
            format = ExportFormat.of(header(exchange, "format"));
        } catch (EventFilter.BadFilter e) {
            JsonResponses.error(exchange, 400, e.getMessage());
            return;
        }
        String accepted = header(exchange, "Accept-Encoding");
        // Camel's Vert.x server has no compression of its own: the export compresses itself when the client accepts gzip
        boolean gzip = accepted != null && accepted.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        InputStream stream = lookup(EventSearch.class, "eventSearch").export(filter, format, gzip);
        // a client that goes away mid-export: give the connection back (off the event loop, as a read may be under way)
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null) {
            http.getResponse().closeHandler(closed -> CompletableFuture.runAsync(() -> closeQuietly(stream)));
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, format.contentType());
        message.setHeader("Content-Disposition", "attachment; filename=\"events." + format.extension() + "\"");
        if (gzip) {
            message.setHeader("Content-Encoding", "gzip");
        }
        message.setHeader("Vary", "Accept-Encoding");
        message.setBody(stream);
    }

    /** The request's filters; a buyer key's are narrowed to its own buyer (naming another is refused). */
    private static EventFilter filter(Exchange exchange, boolean newestByDefault) {
        EventFilter filter = EventFilter.parse(name -> header(exchange, name), newestByDefault);
        Caller caller = ApiAccess.caller(exchange);
        if (caller.role() != Role.BUYER) {
            return filter;
        }
        String asked = filter.equal().get("recipient_id");
        if (asked != null && !asked.equals(caller.recipientId())) {
            throw new AccessDeniedException(403, "a buyer key sees its own buyer's events only, not " + Quoted.shortened(asked) + "'s");
        }
        return filter.forBuyer(caller.recipientId());
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return EventSearch.DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > EventSearch.MAX_LIMIT) {
            throw new EventFilter.BadFilter("limit", "'" + Quoted.shortened(text)
                    + "' is not a whole number from 1 to " + EventSearch.MAX_LIMIT);
        }
        return limit;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (java.io.IOException ignored) {
            // closing gives the connection back; nothing more to do
        }
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }
}
