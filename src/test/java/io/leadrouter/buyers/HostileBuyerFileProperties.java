package io.leadrouter.buyers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Hostile YAML at the buyer loader: aliases that expand (a billion laughs), thousands of levels,
 * documents of megabytes, tags that name Java classes, and random text. Each file is refused with a
 * {@link BuyerFileException} naming its problem, within a few seconds, and never anything else:
 * no other exception, no hang, no class instantiated.
 */
class HostileBuyerFileProperties {

    private static final Duration PARSED_WITHIN = Duration.ofSeconds(5);
    private final BuyerFileParser parser = new BuyerFileParser();

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void everyHostileFileIsRefusedWithItsProblemInBoundedTime(@ForAll("hostileYaml") String yaml) throws Exception {
        Path file = Files.createTempFile("hostile", ".yaml");
        try {
            Files.write(file, yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // a lone surrogate becomes ?
            BuyerFileException refused = assertTimeoutPreemptively(PARSED_WITHIN, () -> {
                try {
                    parser.parse(file);
                    return null;
                } catch (BuyerFileException e) {
                    return e;
                }
            });
            assertTrue(refused != null, "a hostile file was taken as a buyer");
            assertFalse(refused.problems().isEmpty(), refused.getMessage());
            assertTrue(refused.getMessage().startsWith(file.getParent().getFileName() + "/" + file.getFileName() + ": "),
                    refused.getMessage());
            assertTrue(refused.getMessage().length() < 20_000, "the problem is named, not the document repeated: "
                    + refused.getMessage().length() + " characters");
        } finally {
            Files.deleteIfExists(file);
        }
        assertFalse(Boolean.getBoolean("leadrouter.hostile.instantiated"), "a tag made the parser build an object");
    }

    @Provide
    Arbitrary<String> hostileYaml() {
        return Arbitraries.oneOf(billionLaughs(), deepNesting(), hugeScalar(), javaTags(), Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.of("id: [", "{{{{", "- - - -", "? ? ?", "&a [*a]", "*undefined", "id: !!binary ////", "%YAML 9.9\n---\nid: x",
                        "id: x\n---\nid: y", "\uFEFF\u0000", "id: rcp_x\nid: rcp_y\n", "<<: *nothing"));
    }

    /** Nine levels of ten aliases each: 10^9 nodes if expanded. */
    private static Arbitrary<String> billionLaughs() {
        return Arbitraries.integers().between(3, 9).map(levels -> {
            StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\"]\n");
            for (int i = 1; i <= levels; i++) {
                yaml.append("a").append(i).append(": &a").append(i).append(" [");
                for (int j = 0; j < 10; j++) {
                    yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
                }
                yaml.append("]\n");
            }
            return yaml.append("id: *a").append(levels).append('\n').toString();
        });
    }

    private static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(100, 20_000), Arbitraries.of("[", "{a: ")).as((depth, open) ->
                "id: " + open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth) + "\n");
    }

    private static Arbitrary<String> hugeScalar() {
        return Arbitraries.integers().between(1, 8).map(megabytes -> "id: rcp_x\nname: " + "x".repeat(megabytes * 1_000_000) + "\n");
    }

    private static Arbitrary<String> javaTags() {
        return Arbitraries.of(
                "id: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]",
                "id: !<tag:yaml.org,2002:java.lang.System> {}",
                "id: !!java.lang.ProcessBuilder [[\"touch\", \"/tmp/hostile-yaml\"]]",
                "!!io.leadrouter.buyers.HostileBuyerFileProperties$Marker {}",
                "id: !!set {a, b}\nname: !!omap [a: 1]\nprice: !!float NaN");
    }

    /** Would record its construction, if a tag could make the parser build it. */
    public static final class Marker {
        public Marker() {
            System.setProperty("leadrouter.hostile.instantiated", "true");
        }
    }
}
