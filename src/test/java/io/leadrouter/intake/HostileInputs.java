package io.leadrouter.intake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile intake input for {@link HostileIntakeProperties}: JSON-ish text written by
 * hand (so it can be what no JSON library would write: duplicate keys, {@code 1e99999999}, raw
 * control characters, lone surrogates, thousands of levels, a cut-off end), bytes that are not
 * UTF-8, bodies around the size limits, and odd request headers.
 */
final class HostileInputs {

    /** application.properties: leadrouter.intake.max-body-bytes, and camel.server.maxBodySize above it. */
    static final int MAX_LEAD_BYTES = 262_144;
    static final int MAX_SERVER_BODY_BYTES = 4_194_304;

    /** lead_ids several tries share, so that a later try repeats (202) or reuses (409) an earlier lead's id. */
    static final List<String> SHARED_LEAD_IDS = List.of("lead_Shar3dLeadId0001", "lead_Shar3dLeadId0002");

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private HostileInputs() {
    }

    // ---- what is generated ----

    /** A body as bytes, with what kind of body it is (the bytes alone are unreadable in a report). */
    record Body(String kind, byte[] bytes) {

        static Body text(String kind, String text) {
            return new Body(kind, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            if (bytes == null) {
                return kind + " (no value)";
            }
            return kind + " (" + bytes.length + " bytes): " + preview(bytes, 240);
        }
    }

    /** Request headers: the Content-Type values sent (none, one, or several), and extra headers. */
    record Headers(List<String> contentTypes, Map<String, String> extra) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Content-Type ").append(contentTypes.isEmpty() ? "absent" : contentTypes);
            extra.forEach((name, value) -> text.append(", ").append(name).append(": ")
                    .append(value.length() <= 60 ? value : value.substring(0, 40) + "... (" + value.length() + " chars)"));
            return text.toString();
        }
    }

    record HostileRequest(Body body, Headers headers) {
    }

    // ---- POST /leads ----

    static Arbitrary<HostileRequest> requests() {
        return Combinators.combine(bodies(true), headers()).as(HostileRequest::new);
    }

    /** @param serverSized also bodies beyond the HTTP server's own ceiling (4 MiB), not only beyond the lead limit */
    static Arbitrary<Body> bodies(boolean serverSized) {
        return Arbitraries.frequencyOf(
                Tuple.of(10, leadObject().map(text -> Body.text("lead object", text))),
                Tuple.of(3, goodLead().map(text -> Body.text("plain lead", text))),
                Tuple.of(2, value(3).map(text -> Body.text("any JSON-ish value", text))),
                Tuple.of(3, deepNesting()),
                Tuple.of(2, truncated()),
                Tuple.of(3, invalidUtf8()),
                Tuple.of(1, otherEncodings()),
                Tuple.of(1, sizedBodies(serverSized)),
                Tuple.of(1, garbage()));
    }

    static Arbitrary<Headers> headers() {
        Arbitrary<List<String>> contentTypes = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(List.of("application/json"))),
                Tuple.of(5, contentType().map(List::of)),
                Tuple.of(1, Arbitraries.just(List.<String>of())),
                Tuple.of(2, contentType().list().ofMinSize(2).ofMaxSize(3)));
        Arbitrary<Map<String, String>> extra = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Map.<String, String>of())),
                Tuple.of(3, extraHeader().list().ofMinSize(1).ofMaxSize(3).map(HostileInputs::asMap)));
        return Combinators.combine(contentTypes, extra).as(Headers::new);
    }

    private static Arbitrary<String> contentType() {
        return Arbitraries.of(
                "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                "APPLICATION/JSON", "application/json; charset=iso-8859-1", "application/json; charset=\"utf-16\"",
                "application/json; charset=", "application/json;;;", "application/json; boundary=\"x\"; q=0.1",
                "application/vnd.lead+json", "application/problem+json", "+json", "application/json5",
                "application/jsonx", "application/x-json", "json", "text/json", "text/plain", "text/plain; charset=utf-8",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=----x", "application/octet-stream",
                "*/*", "application/*", "", " ", ";", "application/json, text/plain", " application/json ",
                "application/json\t; charset=utf-8", "application/json; charset=utf-8; charset=latin1");
    }

    private static Arbitrary<Map.Entry<String, String>> extraHeader() {
        // one long value, within the HTTP server's limit on a request head (8 KiB): larger ones are
        // the subject of their own property
        Arbitrary<String> longValue = Arbitraries.of(100, 1_000, 4_000, 7_000)
                .flatMap(length -> Arbitraries.strings().withCharRange('!', '~').ofLength(length));
        return Arbitraries.oneOf(
                longValue.map(v -> Map.entry("X-Filler", v)),
                Arbitraries.of("gzip", "deflate", "br", "identity", "gzip, gzip", "x-unknown")
                        .map(v -> Map.entry("Content-Encoding", v)),
                Arbitraries.of("application/json", "text/html", "*/*;q=0", "application/xml", "nonsense")
                        .map(v -> Map.entry("Accept", v)),
                Arbitraries.of("utf-16", "iso-8859-1", "utf-8;q=0").map(v -> Map.entry("Accept-Charset", v)),
                Arbitraries.of("1", "-1", "0", "99999999999999999999").map(v -> Map.entry("X-Content-Length", v)),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200).map(v -> Map.entry("X-Odd", v)));
    }

    private static Map<String, String> asMap(List<Map.Entry<String, String>> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    // ---- Kafka ----

    /** Record values for the leads topic: the bodies of POST /leads (up to Kafka's 1 MB record), and no value at all. */
    static Arbitrary<Body> kafkaValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, bodies(false)),
                Tuple.of(1, Arbitraries.just(new Body("tombstone", null))));
    }

    // ---- bodies ----

    /** A lead object whose fields the router reads (lead_id, cost, score) are of any shape, among others. */
    static Arbitrary<String> leadObject() {
        Arbitrary<List<String>> fields = Arbitraries.frequencyOf(
                Tuple.of(3, leadIdValue().map(v -> member("\"lead_id\"", v))),
                Tuple.of(3, costOrScore().map(v -> member("\"cost\"", v))),
                Tuple.of(3, costOrScore().map(v -> member("\"score\"", v))),
                Tuple.of(6, Combinators.combine(key(), value(2)).as(HostileInputs::member)))
                .list().ofMaxSize(8);
        return fields.map(members -> "{" + String.join(",", members) + "}");
    }

    /** A lead that is fine, with or without an id of its own (sometimes one of {@link #SHARED_LEAD_IDS}). */
    static Arbitrary<String> goodLead() {
        Arbitrary<String> id = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("")),
                Tuple.of(2, freshLeadId().map(i -> "\"lead_id\":\"" + i + "\",")),
                Tuple.of(1, Arbitraries.of(SHARED_LEAD_IDS).map(i -> "\"lead_id\":\"" + i + "\",")));
        Arbitrary<String> name = Arbitraries.of("Ann", "Bob", "Zoë", "李", "😀");
        return Combinators.combine(id, name).as((i, n) -> "{" + i + "\"first_name\":\"" + n
                + "\",\"state\":\"tx\",\"zip\":\"73301\",\"score\":85,\"cost\":12.50}");
    }

    static Arbitrary<String> freshLeadId() {
        return Arbitraries.strings().withChars(BASE62.toCharArray()).ofLength(16).map(s -> "lead_" + s);
    }

    private static Arbitrary<String> leadIdValue() {
        return Arbitraries.oneOf(
                freshLeadId().map(HostileInputs::quoted),
                Arbitraries.of(SHARED_LEAD_IDS).map(HostileInputs::quoted),
                Arbitraries.of("null", "12345", "-0", "1e99999999", "true", "[]", "{}", "[\"lead_0123456789abcdef\"]",
                        "{\"id\":\"lead_0123456789abcdef\"}", "\"\"", "\"lead_\"", "\"lead_0123456789abcde\"",
                        "\"lead_0123456789abcdefg\"", "\"LEAD_0123456789abcdef\"", "\"lead-0123456789abcdef\"",
                        "\"lead_0123456789abcde\\u0000\"", "\"lead_0123456789abcdef\\n\"", "\"lead_0123456789abcdef\\u0000\"",
                        "\" lead_0123456789abcdef\"", "\"lead_0123456789abcd\\u00e9f\"", "\"lead_٠١٢٣٤٥٦٧٨٩abcdef\"",
                        "\"lead_0123456789abcde\\ud800\"", "\"lead_0123456789ab'; drop table leads; --\""),
                Arbitraries.strings().all().ofMaxLength(30).map(HostileInputs::escaped),
                Arbitraries.strings().withChars(BASE62.toCharArray()).ofLength(20_000).map(s -> quoted("lead_" + s)));
    }

    private static Arbitrary<String> costOrScore() {
        return Arbitraries.oneOf(
                number(),
                Arbitraries.of("12.50", "0", "-1", "-0", "1000000", "1000001", "-1000000", "999999999999.99", "0.001",
                        "1e3", "abc", "", " 12.50", "12,50", "$12.50", "NaN", "Infinity", "1e99999999", "0x10")
                        .map(HostileInputs::quoted),
                Arbitraries.of("null", "true", "false", "[]", "[12.5]", "{}", "{\"amount\":12.5}", "\"\\u0000\""));
    }

    private static String member(String key, String value) {
        return key + ":" + value;
    }

    /** Keys that collide often (duplicate keys), odd ones, and very long ones around the string limit. */
    private static Arbitrary<String> key() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("a", "cost", "score", "lead_id", "zip", "", "__proto__", "a.b", "$where")
                        .map(HostileInputs::quoted)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12).map(HostileInputs::escaped)),
                Tuple.of(1, Arbitraries.of(9_999, 10_000, 10_001, 100_000).map(n -> quoted("k".repeat(n)))),
                Tuple.of(1, Arbitraries.of("\"k\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "'single'", "unquoted",
                        "1", "null", "\"tab\there\"", "\"nl\nhere\"")));
    }

    /** Any JSON-ish value, nested up to {@code depth}. */
    static Arbitrary<String> value(int depth) {
        if (depth == 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar()),
                Tuple.of(1, Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4)
                        .map(items -> "[" + String.join(",", items) + "]")),
                Tuple.of(1, Combinators.combine(key(), Arbitraries.lazy(() -> value(depth - 1))).as(HostileInputs::member)
                        .list().ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}")));
    }

    private static Arbitrary<String> scalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, number()),
                Tuple.of(4, string()),
                Tuple.of(1, Arbitraries.of("true", "false", "null", "NaN", "-NaN", "Infinity", "-Infinity", "nan",
                        "undefined", "tru", "nul", "True", "None", "'single quoted'", "\"unterminated", "/* comment */ 1",
                        "// comment\n1", "\"a\" \"b\"", ",", ":", "]", "}")));
    }

    static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("1e99999999", "-1e99999999", "1E-400", "1e-99999999", "-0", "-0.0", "0e0",
                        "0.0000000000000000000000000000000000000001", "1.0e+40", "4.9e-324", "1.7976931348623157e308",
                        "9223372036854775808", "-9223372036854775809", "01", "1.", ".5", "+1", "0x10", "1e", "1e+", "--1",
                        "1.5e3.2", "１２", "1_000", "12.50", "12.345", "0.005")),
                Tuple.of(2, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(1_000)),
                Tuple.of(1, Arbitraries.of(39, 40, 41, 80, 81, 1_000, 100_000).map(n -> "9".repeat(n))),
                Tuple.of(1, Arbitraries.of(39, 40, 41, 100_000).map(n -> "0." + "1".repeat(n))),
                Tuple.of(1, Combinators.combine(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(45),
                                Arbitraries.integers().between(-99_999_999, 99_999_999))
                        .as((digits, exponent) -> digits + "e" + exponent)),
                Tuple.of(2, Arbitraries.bigIntegers().map(Object::toString)),
                Tuple.of(2, Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "NaN")));
    }

    private static Arbitrary<String> string() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40).map(HostileInputs::escaped)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20).map(HostileInputs::raw)),
                Tuple.of(2, Arbitraries.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00\"", "\"x\\ud800y\"",
                        "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\"", "\"\\uD800\\uD800\"", "\"\\u\"", "\"\\uZZZZ\"", "\"\\x41\"",
                        "\"\\\"", "\"\u0001\"", "\"\u001f\"", "\"\u007f\"", "\"\u2028\u2029\"", "\"\uFEFF\"", "\"\uFFFF\"")),
                Tuple.of(1, Arbitraries.of(9_999, 10_000, 10_001, 200_000).map(n -> quoted("s".repeat(n)))));
    }

    /** {@code depth} levels of arrays or objects, closed, left open, or inside a lead. */
    private static Arbitrary<Body> deepNesting() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(1, 40)),
                Tuple.of(1, Arbitraries.of(31, 32, 33)),
                Tuple.of(2, Arbitraries.integers().between(41, 5_000)));
        return Combinators.combine(depth, Arbitraries.of("arrays", "objects", "objects in a lead", "open arrays",
                        "open objects", "alternating"))
                .as((n, kind) -> Body.text(n + " levels of " + kind, switch (kind) {
                    case "arrays" -> "[".repeat(n) + "]".repeat(n);
                    case "objects" -> "{\"a\":".repeat(n) + "1" + "}".repeat(n);
                    case "objects in a lead" -> "{\"first_name\":\"Ann\",\"x\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}";
                    case "open arrays" -> "[".repeat(n);
                    case "open objects" -> "{\"a\":".repeat(n);
                    default -> "{\"a\":[".repeat(n) + "]}".repeat(n);
                }));
    }

    /** A lead cut off somewhere. */
    private static Arbitrary<Body> truncated() {
        return leadObject().flatMap(text -> Arbitraries.integers().between(0, Math.max(0, text.length() - 1))
                .map(cut -> Body.text("lead cut at " + cut, text.substring(0, cut))));
    }

    /** A good lead with bytes that are not UTF-8 put somewhere into it. */
    private static Arbitrary<Body> invalidUtf8() {
        Arbitrary<byte[]> bad = Arbitraries.of(
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xC1, (byte) 0xBF});
        return Combinators.combine(goodLead(), bad, Arbitraries.doubles().between(0, 1))
                .as((lead, bytes, where) -> {
                    byte[] text = lead.getBytes(StandardCharsets.UTF_8);
                    int at = (int) Math.floor(where * text.length);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(text, 0, at);
                    out.writeBytes(bytes);
                    out.write(text, at, text.length - at);
                    return new Body("lead with bytes " + hex(bytes) + " at byte " + at, out.toByteArray());
                });
    }

    /** A lead in UTF-16 or UTF-32, or behind a byte order mark. */
    private static Arbitrary<Body> otherEncodings() {
        return Combinators.combine(goodLead(), Arbitraries.of("UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE",
                        "UTF-8 with BOM", "ISO-8859-1"))
                .as((lead, encoding) -> {
                    if (encoding.equals("UTF-8 with BOM")) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                        out.writeBytes(lead.getBytes(StandardCharsets.UTF_8));
                        return new Body("lead in " + encoding, out.toByteArray());
                    }
                    return new Body("lead in " + encoding, lead.getBytes(Charset.forName(encoding)));
                });
    }

    /** A lead without an id of its own in UTF-16 or UTF-32, without a byte order mark: JSON text that is not UTF-8. */
    static Arbitrary<Body> leadsInWideEncodings() {
        return Combinators.combine(Arbitraries.of("Ann", "Bob", "Zoë", "李"),
                        Arbitraries.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"))
                .as((name, encoding) -> new Body("lead in " + encoding,
                        ("{\"first_name\":\"" + name + "\",\"zip\":\"73301\"}").getBytes(Charset.forName(encoding))));
    }

    /** Leads padded to sizes around the lead limit, and (for HTTP) beyond the server's own limit. */
    private static Arbitrary<Body> sizedBodies(boolean serverSized) {
        List<Integer> sizes = new ArrayList<>(List.of(MAX_LEAD_BYTES - 1, MAX_LEAD_BYTES, MAX_LEAD_BYTES + 1, 600_000));
        if (serverSized) {
            sizes.addAll(List.of(MAX_SERVER_BODY_BYTES, MAX_SERVER_BODY_BYTES + 1, 6_000_000));
        }
        return Arbitraries.of(sizes).map(size -> {
            // padding in many strings of under 10,000 characters: only the size may be wrong with it
            StringBuilder lead = new StringBuilder("{\"first_name\":\"Ann\"");
            int n = 0;
            while (lead.length() < size - 2) {
                String head = ",\"p" + n++ + "\":\"";
                int room = size - lead.length() - head.length() - 2 - 1;
                if (room < 0) {
                    lead.append(" ".repeat(size - 1 - lead.length()));
                    break;
                }
                lead.append(head).append("x".repeat(Math.min(9_000, room))).append('"');
            }
            lead.append(" ".repeat(Math.max(0, size - 1 - lead.length()))).append('}');
            return Body.text("lead of " + size + " bytes", lead.toString());
        });
    }

    private static Arbitrary<Body> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new Body("random bytes", b)),
                Arbitraries.of("", " ", "\n\r\t", "\u0000", "null", "{}", "[]", "\"\"", "0", "{\"a\":1}{\"b\":2}",
                        "{\"a\":1} trailing", "{\"a\":1}\u0000", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]")
                        .map(t -> Body.text("short text", t)));
    }

    // ---- JSON text ----

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** A JSON string literal for any Java string: control characters and every surrogate as \\u escapes. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Characters put between quotes as they are: raw control characters are not JSON; quotes end it early. */
    private static String raw(String text) {
        return "\"" + text + "\"";
    }

    static String preview(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(bytes.length, max);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return shown < bytes.length ? out.append("... (").append(bytes.length - shown).append(" more bytes)").toString()
                : out.toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }
}
