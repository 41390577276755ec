package io.leadrouter.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which class path resource a console path names, if any, and what it is served as. */
class ConsoleFilesTest {

    private final ConsoleFiles files = new ConsoleFiles(ConsoleFilesTest.class.getClassLoader());

    @Test
    void theFolderIsThePageAndEachFileHasItsTypeWithACharset() {
        ConsoleFiles.File page = files.find("").orElseThrow();
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertTrue(new String(page.content(), StandardCharsets.UTF_8).contains("<meta name=\"viewport\""));
        assertEquals(page, files.find("index.html").orElseThrow());
        assertEquals("text/javascript; charset=utf-8", files.find("pages/dashboard.js").orElseThrow().contentType());
        assertEquals("text/css; charset=utf-8", files.find("console.css").orElseThrow().contentType());
        assertEquals("image/svg+xml; charset=utf-8", files.find("favicon.svg").orElseThrow().contentType());
        assertNotEquals(page.etag(), files.find("app.js").orElseThrow().etag(), "an ETag per content");
    }

    @Test
    void uPlotComesFromItsWebJarWhateverItsVersion() {
        assertEquals("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js", files.resourceOf("vendor/uplot/uPlot.esm.js"));
        assertEquals("text/css; charset=utf-8", files.find("vendor/uplot/uPlot.min.css").orElseThrow().contentType());
        assertTrue(files.find("vendor/uplot/uPlot.esm.js").orElseThrow().content().length > 100_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../application.properties", "pages/../app.js", "vendor/uplot/../LICENSE", "vendor/uplot/uPlot.d.ts",
            "vendor/uplot/README.md", "logback.xml", "db/migration/V1__leads_and_recipient_events.sql", "App.js", ".hidden.js",
            "app.js/", "/app.js", "app.js?x", "app..js", "app.json", "%2e%2e/app.js", "pages//dashboard.js"})
    void nothingButTheConsolesOwnFilesIsNamed(String path) {
        assertNull(files.resourceOf(path), path);
        assertTrue(files.find(path).isEmpty(), path);
    }

    @Test
    void aNameOfTheRightShapeThatIsNoFileIsNotFound() {
        assertTrue(files.find("pages/nothing-here.js").isEmpty());
    }
}
