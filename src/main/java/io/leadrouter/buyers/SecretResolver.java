package io.leadrouter.buyers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Looks up buyer secrets by the name a buyer file gives. A secret comes from the environment
 * variable of that name, or from the file named by {@code NAME_FILE} (the container-secrets
 * convention), so that no secret is ever written in the repository.
 */
public final class SecretResolver {

    private final Function<String, String> environment;

    public SecretResolver(Function<String, String> environment) {
        this.environment = environment;
    }

    public static SecretResolver fromEnvironment() {
        return new SecretResolver(System::getenv);
    }

    public Optional<String> resolve(String name) {
        String value = environment.apply(name);
        if (value != null && !value.isEmpty()) {
            return Optional.of(value);
        }
        String file = environment.apply(name + "_FILE");
        if (file == null || file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(file)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret file named by " + name + "_FILE", e);
        }
    }
}
