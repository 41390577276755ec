package io.leadrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Keys have their defaults only in application.properties: a missing one is named, an empty one is read as empty. */
class SettingsTest {

    @Test
    void readsKeysAndNamesAMissingOne() throws Exception {
        Properties given = new Properties();
        given.setProperty("leadrouter.x.count", " 7 ");
        given.setProperty("leadrouter.x.url", "");
        given.setProperty("leadrouter.x.word", "not a number");
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(given);
            Settings settings = new Settings(context);

            assertEquals(7, settings.integer("leadrouter.x.count"));
            assertEquals("", settings.text("leadrouter.x.url"));
            assertEquals(Optional.empty(), settings.optionalText("leadrouter.x.url"));
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> settings.integer("leadrouter.x.absent"));
            assertTrue(missing.getMessage().contains("leadrouter.x.absent"), missing.getMessage());
            IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class, () -> settings.integer("leadrouter.x.word"));
            assertTrue(notANumber.getMessage().startsWith("leadrouter.x.word"), notANumber.getMessage());
        }
    }
}
