package io.leadrouter.buyers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.leadrouter.model.Buyer;
import io.leadrouter.support.Causes;
import io.leadrouter.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Reads the route file of a buyer with {@code integration: route} through Camel's own YAML DSL loader,
 * and checks it before anything runs it: only {@code route} entries, each with an id, unique in the file;
 * one route consuming the entry point {@code direct:buyer-<buyer id>}, any other consuming
 * {@code direct:buyer-<buyer id>-<name>} (so no buyer's file can take an endpoint of the router or of
 * another buyer). Route and step ids come back prefixed with {@code <buyer id>-}. A file with problems
 * is refused as a whole ({@link BuyerFileException} naming the route file). Thread-safe.
 */
public final class BuyerRouteFileReader {

    private final CamelContext context;
    private final YAMLMapper yaml = Json.configure(YAMLMapper.builder()).build();

    public BuyerRouteFileReader(CamelContext context) {
        this.context = context;
    }

    /** The buyer's route file as it is now on disk; the content hash of a missing file is {@code "missing"}. */
    public static String hashOf(Path routeFile) {
        try {
            return sha256(Files.readAllBytes(routeFile));
        } catch (IOException e) {
            return "missing";
        }
    }

    public BuyerRoutes read(Buyer buyer) throws BuyerFileException {
        Path file = buyer.route().file();
        byte[] bytes = readBytes(file);
        return load(buyer.id(), file, new String(bytes, StandardCharsets.UTF_8), sha256(bytes));
    }

    /** Loads a version read before (its successor failed to start): it was checked then, so it loads again. */
    BuyerRoutes reload(BuyerRoutes earlier) throws BuyerFileException {
        return load(earlier.buyerId(), earlier.file(), earlier.text(), earlier.hash());
    }

    private BuyerRoutes load(String buyerId, Path file, String text, String hash) throws BuyerFileException {
        checkOnlyRoutes(file, text);
        List<RouteDefinition> routes = definitions(file, text);
        checkRoutes(buyerId, file, routes);
        String prefix = BuyerRoutes.idPrefix(buyerId);
        routes.forEach(route -> prefixIds(route, prefix));
        return new BuyerRoutes(buyerId, file, text, hash, List.copyOf(routes));
    }

    private static byte[] readBytes(Path file) throws BuyerFileException {
        try {
            if (Files.size(file) > BuyerFileParser.MAX_FILE_BYTES) {
                throw new BuyerFileException(file, List.of("is " + Files.size(file) + " bytes, more than the "
                        + BuyerFileParser.MAX_FILE_BYTES + " a buyer route file may have"));
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BuyerFileException(file, List.of("cannot be read: no such file (named by the buyer file's route.file)"), e);
        } catch (IOException e) {
            throw new BuyerFileException(file, List.of("cannot be read: " + e.getMessage()), e);
        }
    }

    /**
     * A plain YAML read first: it reports YAML errors with their position, and keeps out what Camel's loader
     * would act on while loading (beans bound into the registry, templates, REST, route configurations).
     */
    private void checkOnlyRoutes(Path file, String text) throws BuyerFileException {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new BuyerFileException(file, List.of("not valid YAML: " + firstLine(e.getOriginalMessage()) + where), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new BuyerFileException(file, List.of("must be a YAML list of routes (- route: ...)"));
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            if (!entry.isObject() || entry.size() != 1 || !entry.has("route")) {
                problems.add("[" + i + "]: only route entries are allowed in a buyer's route file (found "
                        + (entry.isObject() ? String.join(", ", entry.propertyStream().map(e -> e.getKey()).toList()) : entry.getNodeType())
                        + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new BuyerFileException(file, problems);
        }
    }

    private List<RouteDefinition> definitions(Path file, String text) throws BuyerFileException {
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            // the name's extension picks Camel's YAML DSL loader; the text is the file as read and hashed
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context)
                    .findRoutesBuilders(ResourceHelper.fromString("file:" + file.getFileName(), text))) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    routes.addAll(routeBuilder.configureRoutes(context).getRoutes());
                }
            }
        } catch (Exception e) {
            throw new BuyerFileException(file, List.of("not a valid Camel YAML DSL route file: " + firstLine(Causes.root(e).getMessage())), e);
        }
        return routes;
    }

    private static void checkRoutes(String buyerId, Path file, List<RouteDefinition> routes) throws BuyerFileException {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String entry = BuyerRoutes.entryPoint(buyerId);
        int entries = 0;
        for (int i = 0; i < routes.size(); i++) {
            RouteDefinition route = routes.get(i);
            String where = "routes[" + i + "]";
            if (!route.hasCustomIdAssigned()) {
                problems.add(where + ": has no id (every route of a buyer's route file needs one)");
            } else if (!ids.add(route.getRouteId())) {
                problems.add(where + ".id: " + route.getRouteId() + " is used twice in this file");
            }
            if (route.isErrorHandlerFactorySet() || route.getErrorHandlerRef() != null) {
                problems.add(where + ".errorHandler: not allowed; the router retries and dead-letters a buyer's failures");
            }
            String from = route.getInput() == null ? null : route.getInput().getEndpointUri();
            if (entry.equals(from)) {
                entries++;
            } else if (from == null || !from.startsWith(entry + "-")) {
                problems.add(where + ".from: " + from + " is not allowed; a buyer's routes consume " + entry
                        + " (the entry point) or " + entry + "-<name>");
            }
        }
        if (entries != 1) {
            problems.add(entries == 0
                    ? "no route consumes " + entry + " (the entry point the router calls for buyer " + buyerId + ")"
                    : entry + " is consumed by " + entries + " routes; exactly one may");
        }
        if (!problems.isEmpty()) {
            throw new BuyerFileException(file, problems);
        }
    }

    /** Camel wants route ids, and step ids, unique in the whole context: the buyer's id in front makes them so. */
    private static void prefixIds(RouteDefinition route, String prefix) {
        route.setId(prefix + route.getRouteId());
        // An error handler of the route's own would mark a failure as handled-and-exhausted before the buyer's
        // delivery route saw it (no retry, no dead letter), and would log the buyer's answer; the failure goes
        // back to the attempt as it is, like camel-http's own exceptions.
        route.setErrorHandlerFactory(new NoErrorHandlerDefinition());
        route.getOutputs().forEach(step -> prefixStepIds(step, prefix));
    }

    private static void prefixStepIds(ProcessorDefinition<?> step, String prefix) {
        prefixId(step, prefix);
        step.getOutputs().forEach(child -> prefixStepIds(child, prefix));
    }

    private static void prefixId(OptionalIdentifiedDefinition<?> node, String prefix) {
        if (node.hasCustomIdAssigned() && !node.getId().startsWith(prefix)) {
            node.setId(prefix + node.getId());
        }
    }

    private static String firstLine(String text) {
        return text == null ? "unreadable" : text.strip().lines().findFirst().orElse("unreadable");
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
