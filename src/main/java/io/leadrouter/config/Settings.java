package io.leadrouter.config;

import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Typed reads of the {@code leadrouter.*} keys of application.properties (and their overrides). */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public Optional<String> text(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return text(key).map(v -> parse(key, v)).orElse(defaultValue);
    }

    public boolean flag(String key, boolean defaultValue) {
        return text(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    private static int parse(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number, got '" + value + "'", e);
        }
    }
}
