package io.leadrouter.routes;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The project's YAML DSL routes, found by the same pattern camel-main is given
 * ({@code camel.main.routes-include-pattern}), so that a renamed or added file is picked up here as
 * the router picks it up. A route test has no broker: routes that consume from Kafka are left out.
 */
final class ProjectYamlRoutes {

    static final String PATTERN = "classpath:routes/*.camel.yaml";

    private ProjectYamlRoutes() {
    }

    static Collection<RoutesBuilder> withoutKafkaConsumers(CamelContext context) throws Exception {
        leaveOut(context, route -> route.getInput().getEndpointUri().startsWith("kafka:"));
        Collection<Resource> files = PluginHelper.getPackageScanResourceResolver(context).findResources(PATTERN);
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(files);
    }

    /** Routes the context should not take when they are added, besides those it leaves out already. */
    static void leaveOut(CamelContext context, Predicate<RouteDefinition> leftOut) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Function<RouteDefinition, Boolean> kept = model.getRouteFilter();
        model.setRouteFilter(route -> !leftOut.test(route) && (kept == null || kept.apply(route)));
    }

    /** The id of the route that consumes from the endpoint: found by what it does, whatever file or id it has now. */
    static String routeConsuming(CamelContext context, String uri) {
        return context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().stream()
                .filter(route -> route.getInput().getEndpointUri().equals(uri))
                .map(RouteDefinition::getRouteId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no route consumes from " + uri + " in " + PATTERN));
    }
}
