package io.leadrouter.search;

import static io.leadrouter.support.Quoted.shortened;

import io.leadrouter.intake.LeadIds;
import io.leadrouter.model.FailureCategory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The filters of {@code GET /events} and {@code GET /exports/events}, checked: each is a column of
 * recipient_events compared for equality, or the range {@code [from, to)} of the events' timestamps.
 * A filter that is wrong is a {@link BadFilter} naming it.
 *
 * @param equal the column filters given, by query parameter, in the order of {@link #COLUMNS}
 */
public record EventFilter(Map<String, String> equal, Optional<Instant> from, Optional<Instant> to, boolean newestFirst) {

    /** Each equality filter's query parameter and its column. */
    static final Map<String, String> COLUMNS = columns(
            "recipient_id", "recipient_id", "event_type", "event_type", "category", "failure_category",
            "reason", "failure_reason", "lead_id", "lead_id", "outcome", "outcome");
    static final List<String> EVENT_TYPES = List.of(
            "recipient.delivery_attempt", "recipient.delivered", "recipient.failed", "recipient.feedback");
    static final List<String> OUTCOMES = List.of("success", "failed");
    private static final long EARLIEST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long LATEST_SECOND = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    /** A filter the request got wrong: answered 400, naming it. */
    public static final class BadFilter extends IllegalArgumentException {
        public BadFilter(String filter, String problem) {
            super(filter + ": " + problem);
        }
    }

    /**
     * @param parameters the request's query parameters (a missing or blank one is no filter)
     * @param newestByDefault the order when {@code order} is not given
     */
    public static EventFilter parse(Function<String, String> parameters, boolean newestByDefault) {
        Map<String, String> equal = new LinkedHashMap<>();
        for (String name : COLUMNS.keySet()) {
            String value = parameters.apply(name);
            if (value != null && !value.isBlank()) {
                equal.put(name, check(name, value.trim()));
            }
        }
        Optional<Instant> from = instant("from", parameters.apply("from"));
        Optional<Instant> to = instant("to", parameters.apply("to"));
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new BadFilter("from", "'" + from.get() + "' is not before to '" + to.get() + "'");
        }
        String order = parameters.apply("order");
        boolean newest = newestByDefault;
        if (order != null && !order.isBlank()) {
            newest = switch (order.trim()) {
                case "newest" -> true;
                case "oldest" -> false;
                default -> throw new BadFilter("order", "'" + shortened(order) + "' is neither newest nor oldest");
            };
        }
        return new EventFilter(Map.copyOf(equal), from, to, newest);
    }

    /** The same filters for one buyer only (a buyer key's view). */
    public EventFilter forBuyer(String recipientId) {
        Map<String, String> own = new LinkedHashMap<>(equal);
        own.put("recipient_id", recipientId);
        return new EventFilter(Map.copyOf(own), from, to, newestFirst);
    }

    /** A stable text of the filters, which a cursor carries so that it is not used with others. */
    String canonical() {
        StringBuilder text = new StringBuilder();
        COLUMNS.keySet().forEach(name -> text.append(name).append('=').append(equal.getOrDefault(name, "")).append('\n'));
        from.ifPresent(at -> text.append("from=").append(at).append('\n'));
        to.ifPresent(at -> text.append("to=").append(at).append('\n'));
        return text.append(newestFirst ? "newest" : "oldest").toString();
    }

    private static String check(String name, String value) {
        if (value.length() > 200) {
            throw new BadFilter(name, "'" + shortened(value) + "' is longer than 200 characters");
        }
        switch (name) {
            case "event_type" -> oneOf(name, value, EVENT_TYPES);
            case "outcome" -> oneOf(name, value, OUTCOMES);
            case "category" -> oneOf(name, value, Arrays.stream(FailureCategory.values()).map(FailureCategory::label).toList());
            case "lead_id" -> {
                if (!LeadIds.isValid(value)) {
                    throw new BadFilter(name, "'" + shortened(value) + "' is not a lead id ('lead_' and 16 letters or digits)");
                }
            }
            default -> {
                // recipient_id and reason: any text; an unknown one finds nothing
            }
        }
        return value;
    }

    private static void oneOf(String name, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new BadFilter(name, "'" + shortened(value) + "' is not one of " + String.join(", ", allowed));
        }
    }

    private static Optional<Instant> instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new BadFilter(name, "'" + shortened(text) + "' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
        // PostgreSQL's timestamps end in the year 294276, Java's much later
        if (instant.getEpochSecond() < EARLIEST_SECOND || instant.getEpochSecond() >= LATEST_SECOND) {
            throw new BadFilter(name, "'" + instant + "' is outside the years 1 to 9999");
        }
        return Optional.of(instant);
    }

    private static Map<String, String> columns(String... pairs) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(columns);
    }
}
