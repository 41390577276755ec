package io.leadrouter.console;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless Chromium against a real router (PostgreSQL, Kafka, buyers on real
 * HTTP servers: one buys, one refuses, one fails until it is fixed and leaves dead letters). Each page
 * loads without a browser console error at laptop and phone size; what the pages show is what the API
 * answers; pause, resume and replay act through the API. One router and one browser for the class.
 */
class ConsoleTest {

    private static final String PREMIER = "rcp_ConsolePremier";
    private static final String REFUSER = "rcp_ConsoleRefuser";
    private static final String FAILING = "rcp_ConsoleFailing";
    private static final String SLOW = "rcp_ConsoleSlow";
    /** The premier buyer's API key, sent as its Authorization header: never to be seen in the console. */
    private static final String SECRET = "sk_live_Console7f3a9cE41d";
    /** A buyer's answer written to run script if it were ever put in the page as markup. */
    private static final String HOSTILE = "duplicate <img src=x id=injected> seen before";
    private static final String FAILING_ANSWER = "{\"error\":\"down for maintenance\"}";
    private static final Path SCREENSHOTS = Path.of("target", "console");
    private static final String KEY_ITEM = "leadrouter.console.key";

    private static final List<StubBuyer> STUBS = new ArrayList<>();
    private static RouterUnderTest router;
    private static HeadlessChromium browser;
    private static StubBuyer failing;
    private static String read;
    private static String operate;
    private static final List<String> LEADS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (!HeadlessChromium.installed()) {
            return; // each test skips (or in CI fails) saying why
        }
        router = RouterUnderTest.builder().secret("PREMIER_API_KEY", SECRET).start();
        router.installBuyer("premier.yaml", PREMIER, BuyerFiles.jsonBuyer(PREMIER, "Premier Insurance",
                stub(Reply.json(200, ACCEPTED)).url("/leads"), 1, false, 3)
                + "credentials:\n  - header: Authorization\n    prefix: \"Bearer \"\n    env: PREMIER_API_KEY\n");
        router.installBuyer("refuser.yaml", REFUSER, BuyerFiles.jsonBuyer(REFUSER, "Standard Insurance",
                stub(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"" + HOSTILE + "\"}")).url("/leads"), 1, false, 3));
        failing = stub(Reply.json(503, FAILING_ANSWER));
        router.installBuyer("failing.yaml", FAILING, BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(FAILING, "Budget Insurance",
                failing.url("/leads"), 1, false, 2)));
        for (int i = 0; i < 3; i++) {
            LEADS.add(router.postLead(SAMPLE_LEAD));
        }
        LEADS.forEach(router::awaitCompleted);
        read = router.newKey("read");
        operate = router.newKey("operate");
        browser = HeadlessChromium.start(SCREENSHOTS.resolve("downloads"));
    }

    @BeforeEach
    void needsTheBrowser() {
        HeadlessChromium.require();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (router != null) {
            router.close();
        }
        STUBS.forEach(StubBuyer::close);
    }

    @Test
    void everyPageLoadsWithoutConsoleErrorsAtLaptopAndPhoneSize() {
        Map<String, By> pages = new LinkedHashMap<>();
        pages.put("dashboard", By.cssSelector("[data-card=delivery] [data-figure=delivery_rate]"));
        pages.put("buyers", By.cssSelector("article.buyer[data-buyer-id=" + PREMIER + "]"));
        pages.put("leads/" + LEADS.get(0), By.cssSelector("[data-section=timeline] li"));
        pages.put("events", By.cssSelector("tr[data-event-id]"));
        pages.put("dead-letters", By.cssSelector("tr[data-dead-letter-id]"));
        pages.put("analytics", By.cssSelector("[data-chart=delivery-by-buyer] canvas"));
        browser.newErrors(message -> false);
        try {
            pages.forEach((route, ready) -> {
                String name = route.contains("/") ? route.substring(0, route.indexOf('/')) : route;
                for (Dimension size : List.of(HeadlessChromium.LAPTOP, HeadlessChromium.PHONE)) {
                    browser.resize(size);
                    browser.driver().get("about:blank");
                    open(route, read);
                    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(ready));
                    assertEquals(List.of(), browser.newErrors(message -> false), route + " at " + size);
                    assertNoHorizontalOverflow(route + " at " + size);
                    browser.screenshot(SCREENSHOTS.resolve(name + "-" + (size == HeadlessChromium.PHONE ? "phone" : "laptop") + ".png"));
                }
            });
        } finally {
            browser.resize(HeadlessChromium.LAPTOP);
        }
        assertFalse(browser.consoleLog().stream().anyMatch(entry -> entry.getMessage().contains(read)), "the key is never logged");
    }

    @Test
    void theDashboardShowsWhatTheApiAnswersAndFollowsItLive() throws Exception {
        AnswerWhenReleased answer = new AnswerWhenReleased(Reply.json(200, ACCEPTED));
        StubBuyer slow = stub(answer);
        try {
            router.installBuyer("slow.yaml", SLOW, BuyerFiles.jsonBuyer(SLOW, "Slow Insurance", slow.url("/leads"), 1, false, 1)
                    .replace("timeout_ms: 1500", "timeout_ms: 60000"));
            open("dashboard", read);
            String leadId = router.postLead(SAMPLE_LEAD);
            // every buyer but the slow one is done with the lead: one delivery is under way
            router.awaitEvents(leadId, events -> RouterUnderTest.count(events, "recipient.delivered") == 1
                    && RouterUnderTest.ofType(events, "recipient.failed").stream()
                            .filter(e -> e.path("metadata").path("final").asBoolean()).count() == 2
                    && slow.requestCount() == 1);

            Map<String, Object> shown = awaitDashboardAsTheApiSays();
            assertEquals("1", figures(shown).get("active_deliveries"), "the slow buyer's delivery is under way: " + shown);
            assertNotEquals("", figures(shown).get("delivery_rate"), shown.toString());
            assertTrue(((List<?>) shown.get("failures")).size() > 0, "recent failures listed: " + shown);
            browser.screenshot(SCREENSHOTS.resolve("dashboard-live.png"));

            answer.release();
            router.awaitEvents(leadId, events -> RouterUnderTest.count(events, "recipient.delivered") == 2);
            shown = awaitDashboardAsTheApiSays();
            assertEquals("0", figures(shown).get("active_deliveries"), "updated without a reload: " + shown);
            assertEquals(List.of(), browser.newErrors(message -> false));
        } finally {
            answer.release();
        }
    }

    @Test
    void aLeadPageShowsEachAttemptsRequestWithCredentialsMaskedAndTheResponse() {
        String leadId = LEADS.get(0);
        JsonNode attempts = api("/leads/" + leadId + "/attempts").path("attempts");
        assertEquals(4, attempts.size(), "premier, refuser, and the failing buyer twice: " + attempts);
        open("leads/" + leadId, read);
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.attempt"), attempts.size()));

        WebElement section = browser.driver().findElement(By.cssSelector("[data-section=attempts]"));
        String text = section.getText();
        assertFalse(text.contains(SECRET), "the buyer's key is never shown");
        assertTrue(text.contains("Bearer ****"), "its header is shown masked: " + text);
        for (JsonNode attempt : attempts) {
            WebElement item = section.findElement(By.cssSelector("li.attempt[data-event-id='" + attempt.path("event_id").asText() + "']"));
            String request = item.findElement(By.cssSelector("[data-field=request]")).getText();
            assertTrue(request.contains(attempt.path("request").path("method").asText() + " " + attempt.path("request").path("url").asText()),
                    request);
            assertTrue(request.contains("firstName"), "the body as sent: " + request);
            String response = item.findElement(By.cssSelector("[data-field=response]")).getText();
            assertTrue(response.contains(attempt.path("response").path("status_code").asText()), response);
            if (attempt.path("outcome").asText().equals("failed")) {
                assertEquals(attempt.path("failure").path("category").asText(), item.findElement(By.cssSelector("[data-field=category]")).getText());
                assertEquals(attempt.path("failure").path("reason").asText(), item.findElement(By.cssSelector("[data-field=reason]")).getText());
            }
        }
        assertTrue(text.contains("down for maintenance"), "the failing buyer's answer: " + text);
        assertTrue(text.contains(HOSTILE), "the refusing buyer's answer, as text: " + text);
        assertTrue(browser.driver().findElements(By.id("injected")).isEmpty(), "a buyer's answer is never markup");
        assertEquals(3, browser.driver().findElements(By.cssSelector("[data-section=buyers] tr[data-buyer-id]")).size());
        assertEquals(List.of(), browser.newErrors(message -> false));
    }

    @Test
    void aReplayFromTheDeadLettersPageDeliversOnceTheBuyerAnswers() {
        String leadId = LEADS.get(2);
        failing.answerFromNowOn(Reply.json(200, ACCEPTED));
        try {
            open("dead-letters", operate);
            By row = By.cssSelector("tr[data-lead-id='" + leadId + "']");
            browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(row)).findElement(By.cssSelector("button[data-replay]")).click();
            WebElement dialog = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
            assertTrue(dialog.getText().contains(leadId), dialog.getText());
            // the confirmation has the focus: Enter replays
            browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
            browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".status"), "is being replayed"));
            browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(row));
            Awaitility.await("the replayed lead delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    RouterUnderTest.ofType(router.events(leadId), "recipient.delivered").stream()
                            .anyMatch(e -> e.path("recipient").path("id").asText().equals(FAILING)));
            assertEquals(List.of(), browser.newErrors(message -> false));
        } finally {
            failing.answerFromNowOn(Reply.json(503, FAILING_ANSWER));
        }
    }

    @Test
    void theEventsPageFiltersPagesAndDownloadsItsExport() throws Exception {
        open("events", read);
        WebElement form = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form.filters")));
        browser.waiting().until(d -> !new Select(form.findElement(By.id("filter-recipient_id"))).getOptions().stream()
                .filter(o -> o.getAttribute("value").equals(FAILING)).toList().isEmpty());
        new Select(form.findElement(By.id("filter-recipient_id"))).selectByValue(FAILING);
        new Select(form.findElement(By.id("filter-event_type"))).selectByValue("recipient.failed");
        new Select(form.findElement(By.id("filter-order"))).selectByValue("oldest");
        WebElement limit = form.findElement(By.id("filter-limit"));
        limit.clear();
        limit.sendKeys("2", Keys.ENTER);

        String filters = "recipient_id=" + FAILING + "&event_type=recipient.failed&order=oldest";
        JsonNode first = api("/events?" + filters + "&limit=2");
        JsonNode second = api("/events?" + filters + "&limit=2&cursor=" + URLEncoder.encode(first.path("next").asText(), StandardCharsets.UTF_8));
        assertEquals(2, second.path("events").size(), "enough failures for two pages: " + second);
        browser.waiting().until(d -> shownEventIds().equals(ids(first)));
        browser.driver().findElement(By.cssSelector("button[data-page=next]")).click();
        browser.waiting().until(d -> shownEventIds().equals(ids(second)));
        assertTrue(browser.driver().findElement(By.cssSelector("[data-page-number]")).getText().contains("Page 2"));
        assertTrue(browser.driver().getCurrentUrl().contains("recipient_id=" + FAILING), "the filters are in the address");

        Path csv = browser.downloads().resolve("events.csv");
        Files.deleteIfExists(csv);
        browser.driver().findElement(By.cssSelector("button[data-export=csv]")).click();
        Awaitility.await("the CSV export downloaded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(csv) && Files.size(csv) > 0
                        && !Files.exists(browser.downloads().resolve("events.csv.crdownload")));
        HttpResponse<String> export = router.call("GET", "/exports/events?format=csv&" + filters, read, null, null);
        assertEquals(200, export.statusCode());
        assertEquals(export.body(), Files.readString(csv), "the download is the API's export of the same filters");
        assertEquals(List.of(), browser.newErrors(message -> false));
    }

    @Test
    void theKeyFormAndTheNavigationWorkFromTheKeyboard() {
        WebDriver driver = browser.driver();
        driver.get(router.baseUrl() + "/console/");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertEquals("api-key", driver.switchTo().activeElement().getAttribute("id"), "the key form has the focus");
        driver.switchTo().activeElement().sendKeys("lr_notakey_0000", Keys.ENTER);
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main"), "refused the key (401)"));
        assertEquals(List.of(), browser.newErrors(message -> message.contains("status of 401")));

        driver.switchTo().activeElement().sendKeys(read, Keys.ENTER);
        browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        assertTrue(driver.getCurrentUrl().indexOf(read) < 0 && !driver.getPageSource().contains(read), "the key is in no address nor the page");

        // from the top of a freshly loaded page: the skip link first, then the header's links
        driver.navigate().refresh();
        browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertEquals("skip-link", driver.switchTo().activeElement().getAttribute("class"));
        WebElement buyersLink = driver.findElement(By.cssSelector("nav a[data-page=buyers]"));
        for (int i = 0; i < 5 && !buyersLink.equals(driver.switchTo().activeElement()); i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertEquals(buyersLink, driver.switchTo().activeElement(), "the navigation is reached with Tab");
        assertNotEquals("none", buyersLink.getCssValue("outline-style"), "the focus is visible");
        buyersLink.sendKeys(Keys.ENTER);
        browser.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "Buyers"));
        assertEquals("page", buyersLink.getAttribute("aria-current"));
        assertEquals("h1", driver.switchTo().activeElement().getTagName(), "the new page's heading has the focus");
        assertEquals(List.of(), browser.newErrors(message -> false));
    }

    @Test
    void pauseAndResumeFromTheBuyersPageChangeTheCircuitAndAReadKeyIsToldWhyNot() {
        By pause = By.cssSelector("article[data-buyer-id=" + REFUSER + "] button[data-action=pause]");
        By resume = By.cssSelector("article[data-buyer-id=" + REFUSER + "] button[data-action=resume]");
        By state = By.cssSelector("article[data-buyer-id=" + REFUSER + "] [data-field=circuit]");

        open("buyers", read);
        browser.waiting().until(ExpectedConditions.elementToBeClickable(pause)).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("article[data-buyer-id=" + REFUSER + "] .status"), "may not pause"));
        assertEquals("closed", circuitState(REFUSER));
        assertEquals(List.of(), browser.newErrors(message -> message.contains("status of 403")));

        open("buyers", operate);
        browser.waiting().until(ExpectedConditions.elementToBeClickable(pause)).click();
        browser.waiting().until(ExpectedConditions.textToBe(state, "paused"));
        assertEquals("paused", circuitState(REFUSER));
        browser.waiting().until(ExpectedConditions.elementToBeClickable(resume)).click();
        browser.waiting().until(ExpectedConditions.textToBe(state, "closed"));
        assertEquals("closed", circuitState(REFUSER));
        assertEquals(List.of(), browser.newErrors(message -> false));
    }

    /** Opens a page of the console with this key in the tab's session, as the key form leaves it. */
    private static void open(String route, String key) {
        WebDriver driver = browser.driver();
        String url = router.baseUrl() + "/console/#/" + route;
        driver.get(url);
        Object kept = ((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem(arguments[0])", KEY_ITEM);
        if (!key.equals(kept)) {
            ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem(arguments[0], arguments[1])", KEY_ITEM, key);
            driver.navigate().refresh();
        }
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
    }

    /** The page is no wider than the window; else the message names the elements that stick out, widest first. */
    private static void assertNoHorizontalOverflow(String where) {
        Map<?, ?> overflow = (Map<?, ?>) ((JavascriptExecutor) browser.driver()).executeScript("""
                const width = document.documentElement.clientWidth;
                const right = e => Math.max(e.getBoundingClientRect().right, e.getBoundingClientRect().left + e.scrollWidth);
                const out = [...document.querySelectorAll('body *')]
                  .filter(e => !e.parentElement.closest('.table-wrap') && right(e) > width + 0.5)
                  .sort((a, b) => right(b) - right(a)).slice(0, 6)
                  .map(e => e.tagName.toLowerCase() + '.' + e.className + ' to ' + Math.round(right(e)));
                return {overflow: document.documentElement.scrollWidth - width, out};
                """);
        assertEquals(0L, ((Number) overflow.get("overflow")).longValue(), where + ": the page is wider than the window: " + overflow.get("out"));
    }

    /**
     * Waits until every figure of the dashboard is the API's (asked again at each look, with the
     * ranges the page shows), and answers what the page showed.
     */
    private static Map<String, Object> awaitDashboardAsTheApiSays() {
        List<String> differences = new ArrayList<>();
        try {
            return Awaitility.await("the dashboard shows what the API answers").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(500)).until(ConsoleTest::dashboard, shown -> {
                        differences.clear();
                        differences.addAll(DashboardFigures.differences(shown, ConsoleTest::api));
                        return differences.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the dashboard never showed what the API answers: " + differences, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() {
        return (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeScript(DashboardFigures.READ_SCRIPT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(Map<String, Object> shown) {
        return (Map<String, Object>) shown.get("figures");
    }

    /** The events the page lists, read in one go (the list may be drawn again meanwhile). */
    @SuppressWarnings("unchecked")
    private static List<String> shownEventIds() {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
                "return [...document.querySelectorAll('tr[data-event-id]')].map(row => row.dataset.eventId)");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("events").forEach(e -> ids.add(e.path("event_id").asText()));
        return ids;
    }

    private static String circuitState(String buyerId) {
        for (JsonNode buyer : api("/buyers").path("buyers")) {
            if (buyer.path("id").asText().equals(buyerId)) {
                return buyer.path("circuit").path("state").asText();
            }
        }
        throw new AssertionError("no buyer " + buyerId);
    }

    /** A GET of the API with the read key, which must answer 200. */
    static JsonNode api(String path) {
        HttpResponse<String> answer = router.call("GET", path, read, null, null);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        return RouterUnderTest.read(answer.body());
    }

    /** A buyer that holds every request until the test releases it (at most a minute), then answers. */
    private static final class AnswerWhenReleased implements Reply {
        private final CountDownLatch released = new CountDownLatch(1);
        private final Reply reply;

        AnswerWhenReleased(Reply reply) {
            this.reply = reply;
        }

        void release() {
            released.countDown();
        }

        @Override
        public void send(com.sun.net.httpserver.HttpExchange exchange, CountDownLatch closing) throws java.io.IOException {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply.send(exchange, closing);
        }
    }

    private static StubBuyer stub(Reply reply) {
        StubBuyer stub = StubBuyer.answering(reply);
        STUBS.add(stub);
        return stub;
    }
}
