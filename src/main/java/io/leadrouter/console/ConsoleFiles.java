package io.leadrouter.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, read from the class path: its own under {@code console/}, and uPlot's from its
 * WebJar under {@code vendor/uplot/}. A name is looked up only when it has the shape of such a file
 * (lower-case words, folders, one extension the console uses), so no path can reach another resource.
 * Files are read once and kept: they are in the jar and never change while the router runs.
 */
public final class ConsoleFiles {

    /** A file of the console, with what the HTTP answer needs. */
    public record File(byte[] content, String contentType, String etag) {
    }

    private static final String OWN = "console/";
    private static final String UPLOT = "vendor/uplot/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Pattern OWN_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*\\.(html|js|css|svg)");
    private static final Pattern UPLOT_NAME = Pattern.compile("uPlot\\.(esm\\.js|min\\.css)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml; charset=utf-8");

    private final ClassLoader classLoader;
    private final Map<String, Optional<File>> read = new ConcurrentHashMap<>();

    public ConsoleFiles(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * The file at this path below {@code /console/} ("" is the page itself), or empty when the console
     * has no such file.
     */
    public Optional<File> find(String name) {
        String path = name.isEmpty() ? "index.html" : name;
        return read.computeIfAbsent(path, this::load);
    }

    /** The class path resource a console path names, or null when it names none the console serves. */
    String resourceOf(String path) {
        if (path.startsWith(UPLOT)) {
            String file = path.substring(UPLOT.length());
            return UPLOT_NAME.matcher(file).matches() ? "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/" + file : null;
        }
        return OWN_NAME.matcher(path).matches() ? OWN + path : null;
    }

    private Optional<File> load(String path) {
        String resource = resourceOf(path);
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] content = in.readAllBytes();
            return Optional.of(new File(content, TYPES.get(path.substring(path.lastIndexOf('.') + 1)), etag(content)));
        } catch (IOException e) {
            throw new UncheckedIOException("console file " + resource + " unreadable", e);
        }
    }

    /** The version of the uPlot WebJar on the class path, as its Maven metadata says. */
    private String uplotVersion() {
        try (InputStream in = classLoader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
