package io.leadrouter.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.SecurityDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * Decides whether the caller's key may call an API operation, as the first step of every API route
 * (the API's route configuration intercepts each of them with this). Each operation names the
 * roles open to it in the REST DSL, as its OpenAPI security scopes ({@code .security("api_key",
 * "read,buyer")}); an operation that names none is open to admin keys only, so a new endpoint is
 * closed until someone decides who may call it.
 */
public final class ApiAccess implements Processor {

    /** The exchange property that holds the request's {@link Caller} once access was granted. */
    private static final String CALLER = "leadrouter.caller";
    /** The security scheme the operations name their roles under. */
    public static final String SCHEME = "api_key";

    private final CamelContext context;
    private volatile Map<String, Set<Role>> rolesByRoute;

    public ApiAccess(CamelContext context) {
        this.context = context;
    }

    @Override
    public void process(Exchange exchange) {
        Object user = exchange.getMessage().removeHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER);
        Caller caller = ApiKeyAuthentication.callerOf(user)
                .orElseThrow(() -> new AccessDeniedException(401, "an API key is required"));
        String operation = exchange.getFromRouteId();
        Set<Role> open = rolesByRoute().getOrDefault(operation, EnumSet.of(Role.ADMIN));
        if (open.stream().noneMatch(caller.role()::grants)) {
            throw new AccessDeniedException(403, "a key with role " + caller.role().id() + " may not call " + operation
                    + "; it is open to " + open.stream().map(Role::id).collect(Collectors.joining(", ")) + " keys");
        }
        exchange.setProperty(CALLER, caller);
    }

    /** The caller of a request that passed {@link #process}. */
    public static Caller caller(Exchange exchange) {
        return exchange.getProperty(CALLER, Caller.class);
    }

    /** The roles each REST operation names, by its route id; read once, when the first request comes. */
    Map<String, Set<Role>> rolesByRoute() {
        Map<String, Set<Role>> roles = rolesByRoute;
        if (roles == null) {
            roles = new HashMap<>();
            for (RestDefinition rest : context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
                for (VerbDefinition verb : rest.getVerbs()) {
                    roles.put(verb.getRouteId(), rolesOf(verb));
                }
            }
            rolesByRoute = roles;
        }
        return roles;
    }

    private static Set<Role> rolesOf(VerbDefinition verb) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (verb.getSecurity() != null) {
            for (SecurityDefinition security : verb.getSecurity()) {
                if (SCHEME.equals(security.getKey()) && security.getScopes() != null) {
                    Arrays.stream(security.getScopes().split(",")).map(String::trim).map(Role::of).forEach(roles::add);
                }
            }
        }
        return roles.isEmpty() ? EnumSet.of(Role.ADMIN) : roles;
    }
}
