package io.leadrouter.config;

import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed reads of the {@code leadrouter.*} keys of application.properties (and their overrides).
 * The defaults live only there: a key read here and missing from it stops startup, naming the key.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    /** The key's value, trimmed; may be empty. */
    public String text(String key) {
        return properties.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalStateException(key + ": missing from application.properties"));
    }

    /** A key whose empty value means "not set" (no database URL: the embedded one is started). */
    public Optional<String> optionalText(String key) {
        return Optional.of(text(key)).filter(v -> !v.isEmpty());
    }

    /** A comma-separated list; empty when the key is. */
    public List<String> list(String key) {
        String value = text(key);
        return value.isEmpty() ? List.of() : List.of(value.split("\\s*,\\s*"));
    }

    public int integer(String key) {
        String value = text(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number, got '" + value + "'", e);
        }
    }
}
