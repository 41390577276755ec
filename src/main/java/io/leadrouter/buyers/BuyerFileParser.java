package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import io.leadrouter.model.Buyer.AcceptCondition;
import io.leadrouter.model.Buyer.CredentialRef;
import io.leadrouter.model.Buyer.Endpoint;
import io.leadrouter.model.Buyer.FieldMapping;
import io.leadrouter.model.Buyer.PayloadFormat;
import io.leadrouter.model.Buyer.ReasonRule;
import io.leadrouter.model.Buyer.ResponseRules;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.model.Buyer.RetryPolicy;
import io.leadrouter.model.Buyer.Transform;
import io.leadrouter.model.FailureReason;
import io.leadrouter.support.Causes;
import io.leadrouter.support.Json;
import io.leadrouter.model.Money;
import java.io.CharConversionException;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

/**
 * Turns one buyer file into a validated {@link Buyer}: reads the YAML, checks it against
 * {@code schema/buyer.schema.json}, fills in the defaults, checks the rules a schema cannot
 * express, and builds the Buyer. A file with problems is refused as a whole with all of them
 * listed ({@link BuyerFileException}); nothing is guessed or half-loaded.
 *
 * <p>Thread-safe: one parser can serve the file watcher and the startup scan.
 */
public final class BuyerFileParser {

    /** Header names that carry secrets; those go through credentials (env) instead. */
    /** Far above any real buyer file (a few kilobytes). */
    static final long MAX_FILE_BYTES = 262_144;

    private static final Pattern SECRET_HEADER =
            Pattern.compile("^(authorization|proxy-authorization|cookie)$|key|token|secret|password", Pattern.CASE_INSENSITIVE);

    private final YAMLMapper yaml = Json.configure(YAMLMapper.builder())
            // differs from Json.MAPPER: a key written twice in a buyer file is a mistake, not "the last one wins"
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final BuyerFileSchema schema;
    private final BuyerFilePlaceholders placeholders;

    /** Uses the buyer file schema from the classpath, and takes every value as written. */
    public BuyerFileParser() {
        this(BuyerFilePlaceholders.NONE);
    }

    /** Uses the buyer file schema from the classpath, and resolves property placeholders in the values. */
    public BuyerFileParser(BuyerFilePlaceholders placeholders) {
        this(new BuyerFileSchema(), placeholders);
    }

    public BuyerFileParser(BuyerFileSchema schema, BuyerFilePlaceholders placeholders) {
        this.schema = schema;
        this.placeholders = placeholders;
    }

    /**
     * @throws BuyerFileException if the file cannot be read, is not a YAML mapping, or has any
     *                            problem; the exception lists them all
     */
    public Buyer parse(Path file) throws BuyerFileException {
        ObjectNode written = read(file);
        List<String> problems = new ArrayList<>(placeholders.resolve(written));
        problems.addAll(schema.validate(written));
        ObjectNode document = schema.withDefaults(written);
        defaultResponseType(document);
        // the rules tolerate ill-typed fields (the schema has reported those), so all problems come out at once
        problems.addAll(new Rules(document).check());
        if (!problems.isEmpty()) {
            throw new BuyerFileException(file, problems);
        }
        return toBuyer(document, file);
    }

    // ---- reading ----

    private ObjectNode read(Path file) throws BuyerFileException {
        if (Files.isDirectory(file)) {
            throw new BuyerFileException(file, List.of("cannot be read: is a directory"));
        }
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                // the YAML parser would take seconds to minutes to find out (it scans a long scalar again and again)
                throw new BuyerFileException(file, List.of("is " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a buyer file may have"));
            }
        } catch (IOException e) {
            // not readable: reading it says so below
        }
        try (InputStream in = Files.newInputStream(file); JsonParser parser = yaml.createParser(in)) {
            root = yaml.readTree(parser);
            JsonToken next = parser.nextToken();
            // a trailing "---" with nothing after it reads as null, which is harmless
            if (next != null && next != JsonToken.VALUE_NULL) {
                throw new BuyerFileException(file, List.of("must hold a single YAML document, found another one after ---"));
            }
        } catch (JsonProcessingException e) {
            throw new BuyerFileException(file, List.of("not valid YAML: " + describeYamlError(e)), e);
        } catch (NoSuchFileException e) {
            throw new BuyerFileException(file, List.of("cannot be read: no such file"), e);
        } catch (AccessDeniedException e) {
            throw new BuyerFileException(file, List.of("cannot be read: permission denied"), e);
        } catch (IOException e) {
            throw new BuyerFileException(file, List.of("cannot be read: " + e.getMessage()), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            throw new BuyerFileException(file, List.of("is empty"));
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BuyerFileException(file, List.of("must be a mapping of fields"));
        }
        return object;
    }

    /** The YAML parser's own problem and where it is, for example {@code could not find expected ':' (line 4, column 1)}. */
    private static String describeYamlError(JsonProcessingException e) {
        if (Causes.has(e, CharConversionException.class)) {
            return "not UTF-8 text" + position(e.getLocation());
        }
        // SnakeYAML's messages span several lines (context, snippet, problem): keep the problem and its position
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException yamlError && yamlError.getProblemMark() != null) {
            String problem = yamlError.getProblem() != null ? yamlError.getProblem() : yamlError.getContext();
            return firstLine(problem) + position(yamlError.getProblemMark().getLine() + 1, yamlError.getProblemMark().getColumn() + 1);
        }
        return firstLine(e.getOriginalMessage()) + position(e.getLocation());
    }

    private static String position(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : position(location.getLineNr(), location.getColumnNr());
    }

    private static String position(int line, int column) {
        return " (line " + line + ", column " + column + ")";
    }

    private static String firstLine(String text) {
        return text == null ? "unreadable" : text.strip().lines().findFirst().orElse("unreadable");
    }

    /** The one default the schema cannot state: the response type follows the payload format. */
    private static void defaultResponseType(ObjectNode document) {
        if (document.get("response") instanceof ObjectNode response && isAbsent(response.get("type"))) {
            boolean xml = "xml".equalsIgnoreCase(document.path("format").asText());
            response.put("type", xml ? "xml" : "json");
        }
    }

    // ---- rules beyond the schema ----

    /**
     * Checks over a document with defaults applied. Each check reads through {@code path()} and
     * looks only at values of the expected type, so a document the schema refused is still safe
     * to check.
     */
    private static final class Rules {
        private final JsonNode document;
        private final List<String> problems = new ArrayList<>();

        Rules(JsonNode document) {
            this.document = document;
        }

        List<String> check() {
            endpointUrl();
            secretHeaders();
            credentials();
            mapping();
            acceptWhen();
            responsePaths();
            reasons();
            money("price");
            problems.addAll(new RoutingRulesReader().problems(document));
            routeIntegration();
            return problems;
        }

        /** {@code integration: route} and the {@code route} section go together. */
        private void routeIntegration() {
            boolean byRoute = Buyer.ROUTE_INTEGRATION.equalsIgnoreCase(document.path("integration").asText());
            if (byRoute && !has(document, "route")) {
                problems.add("route: is required with integration: route (route.file names the buyer's route file)");
            }
            if (!byRoute && has(document, "route")) {
                problems.add("route: only allowed with integration: route");
            }
            JsonNode floor = document.path("route").path("floor");
            if (floor.isNumber() && floor.decimalValue().signum() >= 0) {
                Money.problem(floor.decimalValue()).ifPresent(problem -> problems.add("route.floor: " + problem));
            }
        }

        /** An amount of money within {@link Money}'s bounds, checked before anything computes with it. */
        private void money(String field) {
            JsonNode amount = document.path(field);
            // not a number, too large an integer, or negative: the schema has said so
            if (amount.isNumber() && (!amount.isIntegralNumber() || amount.canConvertToLong()) && amount.decimalValue().signum() >= 0) {
                Money.problem(amount.decimalValue()).ifPresent(problem -> problems.add(field + ": " + problem));
            }
        }

        /** Credentials go only where the file names their environment variable, never into the URL. */
        private void endpointUrl() {
            JsonNode url = document.path("endpoint").path("url");
            if (!url.isTextual() || !url.textValue().matches("(?s)^(http|https)://.*")) {
                return; // the schema has said so
            }
            URI uri;
            try {
                uri = new URI(url.textValue());
            } catch (URISyntaxException e) {
                problems.add("endpoint.url: not a valid URL: " + e.getReason());
                return;
            }
            if (uri.getRawUserInfo() != null) {
                problems.add("endpoint.url: must not carry credentials (user:password@); use credentials with env");
            }
            if (uri.getRawQuery() != null) {
                for (String parameter : uri.getRawQuery().split("&")) {
                    String name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
                    if (SECRET_HEADER.matcher(name).find()) {
                        problems.add("endpoint.url: query parameter " + name + " looks like a credential; it must not be"
                                + " written in the file: use credentials with env (a header or a payload field)");
                    }
                }
            }
        }

        private void secretHeaders() {
            for (String name : document.path("headers").properties().stream().map(Map.Entry::getKey).toList()) {
                if (SECRET_HEADER.matcher(name).find()) {
                    problems.add("headers." + name + ": secrets must not be written in the file; use credentials with env");
                }
            }
        }

        private void credentials() {
            List<JsonNode> credentials = elements(document.path("credentials"));
            for (int i = 0; i < credentials.size(); i++) {
                exactlyOne(credentials.get(i), "credentials[" + i + "]", "header", "field");
            }
        }

        private void mapping() {
            List<JsonNode> mapping = elements(document.path("mapping"));
            Map<String, Integer> firstIndexOfTarget = new HashMap<>();
            for (int i = 0; i < mapping.size(); i++) {
                JsonNode entry = mapping.get(i);
                String path = "mapping[" + i + "]";
                exactlyOne(entry, path, "from", "value");
                if (has(entry, "default") && !has(entry, "from") && has(entry, "value")) {
                    problems.add(path + ".default: only allowed with from");
                }
                // two entries writing the same field: one would silently overwrite the other
                if (entry.path("to").isTextual()) {
                    Integer first = firstIndexOfTarget.putIfAbsent(entry.get("to").textValue(), i);
                    if (first != null) {
                        problems.add(path + ".to: " + entry.get("to").textValue() + " is already written by mapping[" + first + "]");
                    }
                }
            }
        }

        private void acceptWhen() {
            JsonNode acceptWhen = document.path("response").path("accept_when");
            if (!acceptWhen.isObject()) {
                return;
            }
            exactlyOne(acceptWhen, "response.accept_when", "equals", "matches");
            if (acceptWhen.path("matches").isTextual()) {
                regexProblem(acceptWhen.get("matches").textValue())
                        .ifPresent(p -> problems.add("response.accept_when.matches: " + p));
            }
        }

        /** The paths into the answer must compile as JSONPath, XPath or regex, following the response type. */
        private void responsePaths() {
            JsonNode response = document.path("response");
            Function<String, Optional<String>> compiler = switch (response.path("type").asText().toLowerCase(Locale.ROOT)) {
                case "json" -> BuyerFileParser::jsonPathProblem;
                case "xml" -> xpathChecker();
                case "text" -> BuyerFileParser::regexProblem;
                default -> null; // an unknown type is already reported by the schema
            };
            if (compiler == null) {
                return;
            }
            Map<String, JsonNode> paths = new LinkedHashMap<>();
            paths.put("response.accept_when.path", response.path("accept_when").path("path"));
            paths.put("response.buyer_lead_id", response.path("buyer_lead_id"));
            paths.put("response.payout", response.path("payout"));
            paths.put("response.rejection_reason", response.path("rejection_reason"));
            paths.forEach((field, path) -> {
                if (path.isTextual() && !path.textValue().isEmpty()) {
                    compiler.apply(path.textValue()).ifPresent(p -> problems.add(field + ": " + p));
                }
            });
        }

        private void reasons() {
            List<JsonNode> reasons = elements(document.path("response").path("reasons"));
            for (int i = 0; i < reasons.size(); i++) {
                JsonNode reason = reasons.get(i).path("reason");
                if (reason.isTextual() && reasonRuleTarget(reason.textValue()).isEmpty()) {
                    problems.add("response.reasons[" + i + "].reason: must be one of " + reasonRuleLabels());
                }
            }
        }

        private void exactlyOne(JsonNode object, String path, String one, String other) {
            if (!object.isObject()) {
                return;
            }
            boolean hasOne = has(object, one);
            boolean hasOther = has(object, other);
            if (hasOne == hasOther) {
                problems.add(path + ": must have exactly one of " + one + " or " + other + " (found " + (hasOne ? "both" : "neither") + ")");
            }
        }
    }

    /** A buyer's own reason rules may only name refusals: technical failures are classified by the router. */
    private static Optional<FailureReason> reasonRuleTarget(String label) {
        return FailureReason.ofLabel(label).filter(r -> r.category().isRefusal());
    }

    private static String reasonRuleLabels() {
        return Arrays.stream(FailureReason.values())
                .filter(r -> r.category().isRefusal())
                .map(FailureReason::label)
                .collect(Collectors.joining(", "));
    }

    private static Optional<String> jsonPathProblem(String path) {
        try {
            JsonPath.compile(path);
            return Optional.empty();
        } catch (InvalidPathException | IllegalArgumentException e) {
            return Optional.of("not a valid JSONPath: " + e.getMessage().strip());
        }
    }

    /** An XPath object is not thread-safe, so each check gets its own. */
    private static Function<String, Optional<String>> xpathChecker() {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return path -> {
            try {
                xpath.compile(path);
                return Optional.empty();
            } catch (XPathExpressionException e) {
                // the JDK wraps the useful message in a TransformerException
                Throwable detail = e.getCause() != null ? e.getCause() : e;
                return Optional.of("not a valid XPath: " + detail.getMessage().strip());
            }
        };
    }

    private static Optional<String> regexProblem(String regex) {
        try {
            Pattern.compile(regex);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    // ---- building the Buyer (the document is valid and has its defaults here) ----

    private static Buyer toBuyer(JsonNode d, Path file) {
        return new Buyer(
                text(d, "id"),
                text(d, "name"),
                text(d, "type"),
                text(d, "tier"),
                d.get("enabled").booleanValue(),
                text(d, "integration"),
                routeIntegration(d, file),
                endpoint(d.get("endpoint")),
                enumValue(PayloadFormat.class, text(d, "format")),
                text(d, "xml_root"),
                headers(d.get("headers")),
                list(d.get("credentials"), c -> new CredentialRef(text(c, "header"), text(c, "field"), text(c, "env"), text(c, "prefix"))),
                d.hasNonNull("signing") ? new Buyer.Signing(text(d.get("signing"), "secret_env")) : null,
                list(d.get("mapping"), BuyerFileParser::fieldMapping),
                d.get("price").decimalValue(),
                d.get("exclusive").booleanValue(),
                d.get("priority").intValue(),
                new RoutingRulesReader().read(d),
                retry(d.get("retry")),
                response(d.get("response")),
                alertOverrides(d.get("alerts")),
                new Buyer.CircuitBreaker(integer(d.path("circuit_breaker"), "failures_to_open")),
                feedback(d.get("feedback")),
                new Buyer.RateLimit(integer(d.path("rate_limit"), "per_second")),
                file);
    }

    /** The route file is resolved beside the buyer file; its floor defaults to the price. */
    private static Buyer.RouteIntegration routeIntegration(JsonNode d, Path file) {
        JsonNode route = d.get("route");
        if (isAbsent(route)) {
            return null;
        }
        Path folder = file.toAbsolutePath().getParent();
        BigDecimal floor = route.hasNonNull("floor") ? route.get("floor").decimalValue() : d.get("price").decimalValue();
        return new Buyer.RouteIntegration(folder.resolve(text(route, "file")), floor);
    }

    private static Endpoint endpoint(JsonNode e) {
        return new Endpoint(
                text(e, "url"),
                text(e, "method").toUpperCase(Locale.ROOT),
                e.get("connect_timeout_ms").intValue(),
                e.get("timeout_ms").intValue());
    }

    /** A constant as written: 7 stays a number and true a boolean, so JSON payloads keep their types. */
    private static Object scalar(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue().stripTrailingZeros().scale() <= 0 && !value.isFloatingPointNumber()
                    ? (Object) value.bigIntegerValue() : value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.asText();
    }

    private static Map<String, String> headers(JsonNode headers) {
        Map<String, String> ordered = new LinkedHashMap<>();
        headers.properties().forEach(h -> ordered.put(h.getKey(), h.getValue().textValue()));
        return Collections.unmodifiableMap(ordered);
    }

    private static FieldMapping fieldMapping(JsonNode m) {
        return new FieldMapping(text(m, "from"), text(m, "to"), scalar(m, "value"), scalar(m, "default"),
                enumValue(Transform.class, text(m, "transform")));
    }

    private static RetryPolicy retry(JsonNode r) {
        return new RetryPolicy(
                r.get("max_attempts").intValue(),
                r.get("initial_delay_ms").longValue(),
                r.get("backoff_multiplier").doubleValue(),
                r.get("max_delay_ms").longValue());
    }

    private static Buyer.AlertOverrides alertOverrides(JsonNode a) {
        if (isAbsent(a)) {
            return Buyer.AlertOverrides.NONE;
        }
        return new Buyer.AlertOverrides(
                a.hasNonNull("delivery_rate_below") ? a.get("delivery_rate_below").doubleValue() : null,
                integer(a, "min_offers"),
                a.hasNonNull("response_time_above_ms") ? a.get("response_time_above_ms").longValue() : null,
                integer(a, "consecutive_failures_above"),
                a.hasNonNull("offline_seconds") ? a.get("offline_seconds").longValue() : null);
    }

    private static Buyer.Feedback feedback(JsonNode f) {
        return new Buyer.Feedback(f.get("return_window_days").intValue(),
                isAbsent(f.get("return_reasons")) ? List.of() : list(f.get("return_reasons"), JsonNode::textValue),
                f.hasNonNull("max_return_rate") ? f.get("max_return_rate").doubleValue() : null);
    }

    private static Integer integer(JsonNode object, String field) {
        return object.hasNonNull(field) ? object.get(field).intValue() : null;
    }

    private static ResponseRules response(JsonNode r) {
        JsonNode a = r.get("accept_when");
        return new ResponseRules(
                enumValue(ResponseType.class, text(r, "type")),
                list(r.get("accepted_status"), JsonNode::intValue),
                isAbsent(a) ? null : new AcceptCondition(text(a, "path"), text(a, "equals"), text(a, "matches")),
                text(r, "buyer_lead_id"),
                text(r, "payout"),
                text(r, "rejection_reason"),
                // stored with the canonical label, so "duplicate lead" in the file becomes "Duplicate Lead"
                list(r.get("reasons"), rule -> new ReasonRule(text(rule, "contains"), reasonRuleTarget(text(rule, "reason")).orElseThrow().label())));
    }

    // ---- small helpers ----

    /** The field as text (numbers and booleans as written), or null when absent. */
    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return isAbsent(value) ? null : value.asText();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        List<T> result = new ArrayList<>();
        array.forEach(item -> result.add(element.apply(item)));
        return List.copyOf(result);
    }

    private static boolean has(JsonNode object, String field) {
        return !isAbsent(object.get(field));
    }

    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    /** The items of a list, or none when the value is not a list (the schema has reported that). */
    private static List<JsonNode> elements(JsonNode value) {
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }
}
