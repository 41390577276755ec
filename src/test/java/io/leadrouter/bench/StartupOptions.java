package io.leadrouter.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@link StartupTime} measures, read from system properties ({@code -Dstartup.runs=5}).
 *
 * @param modes      {@code embedded}, {@code external} or both (comma separated)
 * @param runs       router starts per mode
 * @param jars       the runnable jar, or several (comma separated) to compare: their runs alternate,
 *                   so that each meets the same load on a shared machine
 * @param jvmVariants options for the router's JVM, e.g. {@code -XX:TieredStopAtLevel=1}; several sets
 *                   (separated by {@code |}) are compared like several jars
 * @param freshData  each run starts on new data folders (embedded) or a new database (external), as a
 *                   first start does; false keeps them from the mode's first run, as a restart does
 * @param keepFiles  leaves the runs' folders and logs in place (their path is printed)
 */
record StartupOptions(List<String> modes, int runs, List<Path> jars, List<List<String>> jvmVariants, boolean freshData, boolean keepFiles) {

    static StartupOptions fromSystemProperties() {
        return new StartupOptions(
                List.of(System.getProperty("startup.modes", "embedded,external").split(",")),
                Integer.getInteger("startup.runs", 5),
                words(System.getProperty("startup.jar", "target/lead-router.jar").replace(',', ' ')).stream()
                        .map(jar -> Path.of(jar).toAbsolutePath()).toList(),
                Stream.of(System.getProperty("startup.jvm", "").split("\\|", -1)).map(StartupOptions::words).toList(),
                Boolean.parseBoolean(System.getProperty("startup.freshData", "true")),
                Boolean.getBoolean("startup.keepFiles"));
    }

    /** Every jar with every set of JVM options, in the order their runs alternate. */
    List<StartupVariant> variants() {
        List<StartupVariant> variants = new ArrayList<>();
        for (Path jar : jars) {
            for (List<String> jvmOptions : jvmVariants) {
                variants.add(new StartupVariant(jar, jvmOptions));
            }
        }
        return variants;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
