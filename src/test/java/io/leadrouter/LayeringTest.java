package io.leadrouter;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The packages depend one way, from the bottom up (see docs/design.md): model and support at the
 * bottom; intake, buyers, events on them; delivery; routing; api, console and config on top. A package uses
 * only the packages below it, none beside it, and there is no cycle.
 */
class LayeringTest {

    /** Each feature package and the packages it may use (besides itself, the JDK and libraries). */
    private static final Map<String, List<String>> MAY_USE = Map.ofEntries(
            Map.entry("model", List.of()),
            Map.entry("support", List.of()),
            Map.entry("dev", List.of("support")),
            Map.entry("intake", List.of("model", "support")),
            Map.entry("buyers", List.of("model", "support")),
            Map.entry("events", List.of("model", "support")),
            Map.entry("delivery", List.of("model", "support", "intake", "buyers", "events")),
            Map.entry("routing", List.of("model", "support", "intake", "buyers", "events", "delivery")),
            Map.entry("security", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing")),
            Map.entry("circuit", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing")),
            Map.entry("monitoring", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing", "circuit")),
            Map.entry("feedback", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing")),
            Map.entry("analytics", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing")),
            Map.entry("search", List.of("model", "support", "intake", "buyers", "events")),
            Map.entry("retention", List.of("model", "support", "events")),
            Map.entry("console", List.of("support")),
            Map.entry("api", List.of("model", "support", "intake", "buyers", "events", "delivery", "routing", "security", "monitoring",
                    "circuit", "feedback", "analytics", "search")));

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.leadrouter");
    }

    static List<String> layeredPackages() {
        return new ArrayList<>(MAY_USE.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layeredPackages")
    void aPackageUsesOnlyThePackagesBelowIt(String feature) {
        String[] allowed = MAY_USE.get(feature).stream().map(p -> "io.leadrouter." + p + "..").toArray(String[]::new);
        classes().that().resideInAPackage("io.leadrouter." + feature + "..")
                .should().onlyDependOnClassesThat(not(resideInAPackage("io.leadrouter.."))
                        .or(resideInAPackage("io.leadrouter." + feature + ".."))
                        .or(resideInAnyPackage(allowed)))
                .because(feature + " may use only " + MAY_USE.get(feature))
                .check(main);
    }

    @Test
    void thePackagesHaveNoCycle() {
        slices().matching("io.leadrouter.(*)..").should().beFreeOfCycles().check(main);
    }
}
