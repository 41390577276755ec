package io.leadrouter.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.spi.PackageScanClassResolver;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.apache.camel.support.scan.DefaultPackageScanResourceResolver;
import org.apache.camel.util.IOHelper;

/**
 * Camel lists a jar's files for its scans (the base package's classes, the files matching
 * camel.main.routes-include-pattern) by reading the whole jar through a JarInputStream, inflating
 * every entry: for the 150 MB runnable jar that is seconds of CPU per scan, and camel-main scans it
 * several times while starting. These resolvers read the jar's table of contents instead, and
 * otherwise behave as Camel's own.
 */
public final class JarScanning {

    private JarScanning() {
    }

    /** Replaces the context's scanners; call it before camel-main configures the context. */
    public static void install(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        extension.addContextPlugin(PackageScanClassResolver.class, new ClassScan());
        extension.addContextPlugin(PackageScanResourceResolver.class, new ResourceScan());
    }

    private static final class ClassScan extends DefaultPackageScanClassResolver {
        @Override
        protected List<String> doLoadJarClassEntries(InputStream stream, String urlPath) {
            List<String> names = fileNames(urlPath, name -> name.endsWith(".class"));
            return names != null ? names : super.doLoadJarClassEntries(stream, urlPath);
        }
    }

    private static final class ResourceScan extends DefaultPackageScanResourceResolver {
        @Override
        protected List<String> doLoadImplementationsInJar(String packageName, InputStream stream, String urlPath,
                Predicate<String> filter) {
            Predicate<String> accepted = filter != null ? filter : name -> !name.endsWith(".class");
            List<String> names = fileNames(urlPath, name -> name.startsWith(packageName) && accepted.test(name));
            if (names == null) {
                return super.doLoadImplementationsInJar(packageName, stream, urlPath, filter);
            }
            IOHelper.close(stream);
            return names;
        }
    }

    /** The names of the jar's files that match, or null when urlPath is not a jar on this machine's disk. */
    private static List<String> fileNames(String urlPath, Predicate<String> matching) {
        File file = new File(urlPath);
        if (!file.isFile()) {
            return null;
        }
        try (JarFile jar = new JarFile(file, false)) {
            return jar.stream().filter(entry -> !entry.isDirectory()).map(entry -> entry.getName().trim())
                    .filter(matching).toList();
        } catch (IOException e) {
            return null;
        }
    }
}
