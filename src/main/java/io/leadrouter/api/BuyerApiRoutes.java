package io.leadrouter.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.buyers.BuyerFileWatcher;
import io.leadrouter.circuit.BuyerCircuits;
import io.leadrouter.circuit.CircuitState;
import io.leadrouter.delivery.GoneBuyers;
import io.leadrouter.delivery.HttpEndpoints;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.LeadFilter;
import io.leadrouter.model.RoutingRules;
import io.leadrouter.routing.CapUsage;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.AuditLog;
import io.leadrouter.support.Json;
import io.leadrouter.support.JsonResponses;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code /buyers}: the buyers in force with their circuit (closed, open, probing, paused) and held
 * leads, whether they answered 410 Gone, every buyer file with its problem; an operator pauses a buyer (its leads are held) and
 * resumes it (they go out in the order held). Pausing and resuming are in the audit log.
 */
public final class BuyerApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/buyers").tag("buyers")
                .get().id("api-buyers").routeId("api-buyers")
                    .description("Buyers in force with their circuit and held leads, and every buyer file with its problem if any")
                    .security(ApiAccess.SCHEME, "read")
                    .to("direct:api-buyers")
                .post("/{id}/pause").id("api-buyer-pause").routeId("api-buyer-pause")
                    .description("Hold the buyer's leads (not attempted, not dead-lettered) until it is resumed")
                    .security(ApiAccess.SCHEME, "operate")
                    .responseMessage().code(404).message("no such buyer").endResponseMessage()
                    .to("direct:api-buyer-pause")
                .post("/{id}/resume").id("api-buyer-resume").routeId("api-buyer-resume")
                    .description("Close the buyer's circuit (paused or open): its held leads go out in the order held")
                    .security(ApiAccess.SCHEME, "operate")
                    .responseMessage().code(404).message("no such buyer").endResponseMessage()
                    .responseMessage().code(409).message("the buyer is not held").endResponseMessage()
                    .to("direct:api-buyer-resume");

        from("direct:api-buyers").routeConfigurationId(ApiErrors.ID)
                .process(this::list).id("list-buyers");
        from("direct:api-buyer-pause").routeConfigurationId(ApiErrors.ID)
                .process(this::pause).id("pause-buyer");
        from("direct:api-buyer-resume").routeConfigurationId(ApiErrors.ID)
                .process(this::resume).id("resume-buyer");
    }

    private void list(Exchange exchange) throws Exception {
        BuyerCircuits circuits = lookup(BuyerCircuits.class, "buyerCircuits");
        Map<String, BuyerCircuits.View> views = circuits.views();
        Map<String, Long> held = circuits.heldNow();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode active = body.putArray("buyers");
        for (Buyer buyer : lookup(BuyerCatalog.class, "buyerCatalog").all()) {
            ObjectNode item = active.addObject()
                    .put("id", buyer.id()).put("name", buyer.name()).put("tier", buyer.tier())
                    .put("enabled", buyer.enabled()).put("exclusive", buyer.exclusive())
                    .put("priority", buyer.priority()).put("price", buyer.price())
                    .put("url", HttpEndpoints.displayUrl(buyer)).put("file", buyer.sourceFile().getFileName().toString());
            BuyerCircuits.View view = views.get(buyer.id());
            ObjectNode circuit = item.putObject("circuit");
            circuit.put("state", view == null ? CircuitState.CLOSED.label() : view.state().label());
            circuit.put("held_leads", held.getOrDefault(buyer.id(), 0L));
            if (view != null) {
                circuit.put("since", timestamp(view.changedAt()));
                circuit.put("opened_at", timestamp(view.openedAt()));
                circuit.put("next_probe_at", view.state() == CircuitState.OPEN ? timestamp(view.nextProbeAt()) : null);
                circuit.put("cool_down_seconds", view.coolDown().toMillis() / 1000.0);
                circuit.put("reason", view.reason());
            }
            item.set("rules", rules(buyer));
            // answered 410 Gone: no calls, no leads, until its file changes
            Optional<GoneBuyers.Gone> gone = lookup(GoneBuyers.class, "goneBuyers").gone(buyer.id());
            if (gone.isPresent()) {
                item.putObject("gone").put("since", timestamp(gone.get().since())).put("lead_id", gone.get().leadId())
                        .put("details", gone.get().details());
            } else {
                item.putNull("gone");
            }
        }
        ArrayNode files = body.putArray("files");
        for (Map.Entry<Path, BuyerFileWatcher.FileState> file : lookup(BuyerFileWatcher.class, "buyerFileWatcher").fileStates().entrySet()) {
            files.addObject()
                    .put("file", file.getKey().getFileName().toString())
                    .put("buyer_id", file.getValue().buyerId())
                    .put("problem", file.getValue().problem());
        }
        JsonResponses.respond(exchange, 200, body);
    }

    private void pause(Exchange exchange) throws Exception {
        Optional<Buyer> buyer = buyer(exchange);
        if (buyer.isEmpty()) {
            return;
        }
        String keyId = ApiAccess.caller(exchange).keyId();
        lookup(BuyerCircuits.class, "buyerCircuits").pause(buyer.get().id(), "paused by key " + keyId);
        lookup(AuditLog.class, "auditLog").record(keyId, "buyer.paused", "buyer:" + buyer.get().id(), Json.MAPPER.createObjectNode());
        JsonResponses.respond(exchange, 200, Json.MAPPER.createObjectNode().put("id", buyer.get().id()).put("circuit", "paused"));
    }

    private void resume(Exchange exchange) throws Exception {
        Optional<Buyer> buyer = buyer(exchange);
        if (buyer.isEmpty()) {
            return;
        }
        String keyId = ApiAccess.caller(exchange).keyId();
        BuyerCircuits circuits = lookup(BuyerCircuits.class, "buyerCircuits");
        if (!circuits.resume(buyer.get().id(), "resumed by key " + keyId)) {
            JsonResponses.error(exchange, 409, "buyer " + buyer.get().id() + " is not held: its circuit is closed");
            return;
        }
        lookup(AuditLog.class, "auditLog").record(keyId, "buyer.resumed", "buyer:" + buyer.get().id(), Json.MAPPER.createObjectNode());
        JsonResponses.respond(exchange, 200, Json.MAPPER.createObjectNode().put("id", buyer.get().id()).put("circuit", "closed")
                .put("held_leads", circuits.heldNow().getOrDefault(buyer.get().id(), 0L)));
    }

    /** The buyer's routing rules as its file says them, with what each cap's current period has used. */
    private ObjectNode rules(Buyer buyer) throws java.sql.SQLException {
        RoutingRules rules = buyer.rules();
        ObjectNode view = Json.MAPPER.createObjectNode().put("time_zone", rules.timeZone().getId())
                .put("filtered", rules.acceptIf() != LeadFilter.ACCEPT_ALL);
        ArrayNode caps = view.putArray("caps");
        for (CapUsage.Used used : lookup(CapUsage.class, "capUsage").of(buyer)) {
            ObjectNode cap = caps.addObject().put("rule", used.cap().rule()).put("period_start", timestamp(used.periodStart()));
            if (used.cap().isBudget()) {
                cap.put("limit", used.cap().amount()).put("used", used.amount());
            } else {
                cap.put("limit", used.cap().leads()).put("used", used.leads());
            }
        }
        if (rules.dedupe() != null) {
            view.putObject("dedupe").put("window_days", rules.dedupe().windowDays()).set("fields", Json.MAPPER.valueToTree(rules.dedupe().fields()));
        }
        if (rules.schedule() != null) {
            view.putObject("schedule").put("open_now", rules.schedule().isOpen(Instant.now().atZone(rules.timeZone())))
                    .put("outside_hours", rules.schedule().outsideHours().name().toLowerCase(java.util.Locale.ROOT))
                    .put("max_hold_minutes", rules.schedule().maxHoldMinutes());
        }
        return view;
    }

    /** The buyer named by the path, or a 404 answered. */
    private Optional<Buyer> buyer(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<Buyer> buyer = lookup(BuyerCatalog.class, "buyerCatalog").find(id);
        if (buyer.isEmpty()) {
            JsonResponses.error(exchange, 404, "no buyer " + id);
        }
        return buyer;
    }

    private static String timestamp(Instant instant) {
        return instant == null ? null : RecipientEvents.timestamp(instant);
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }
}
