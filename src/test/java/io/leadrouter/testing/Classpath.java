package io.leadrouter.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The class path to start the stub buyer and router JVMs with: this JVM's own. Under
 * {@code mvn exec:java} the project's classes are on an isolated class loader (the JVM's
 * {@code java.class.path} is Maven's), so its URLs are used when there are any.
 *
 * <p>{@link #snapshot(Path)} copies the class folders ({@code target/classes},
 * {@code target/test-classes}) aside, so that every router of a run runs the same build even when
 * the project is recompiled meanwhile.
 */
public final class Classpath {

    private static volatile List<String> entries;

    private Classpath() {
    }

    /** Everything this JVM can load from: main and test classes and all dependencies. */
    public static String full() {
        return String.join(File.pathSeparator, entries());
    }

    /** The router's class path: as {@link #full()}, without the test classes (the shipped code only). */
    public static String withoutTestClasses() {
        return String.join(File.pathSeparator,
                entries().stream().filter(entry -> !Path.of(entry).endsWith("test-classes")).toList());
    }

    /** Copies the class folders of the class path under {@code dir} and uses the copies from now on. */
    public static void snapshot(Path dir) throws IOException {
        List<String> copied = new ArrayList<>();
        int n = 0;
        for (String entry : discover()) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path copy = dir.resolve(String.valueOf(n++)).resolve(path.getFileName());
                copyTree(path, copy);
                copied.add(copy.toString());
            } else {
                copied.add(entry);
            }
        }
        entries = List.copyOf(copied);
    }

    private static List<String> entries() {
        List<String> known = entries;
        return known != null ? known : discover();
    }

    private static List<String> discover() {
        Set<String> found = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        found.add(toPath(url));
                    }
                }
            }
        }
        if (found.stream().noneMatch(e -> Path.of(e).endsWith("test-classes"))) {
            found.clear();
            found.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        }
        return List.copyOf(found);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                try {
                    Path target = to.resolve(from.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            return url.getPath();
        }
    }
}
