package io.leadrouter.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.model.Buyer.PayloadFormat;
import io.leadrouter.support.Json;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Writes mapped fields (see {@link LeadMapper}) as the request body in the buyer's format, fields in
 * map order, without whitespace between them:
 * <ul>
 *   <li>JSON: one object, nested maps as nested objects.</li>
 *   <li>FORM: {@code application/x-www-form-urlencoded} in UTF-8 (space as {@code +}); nested keys joined
 *       with dots ({@code applicant.phone=…}); a list repeats its key.</li>
 *   <li>XML: {@code <?xml version="1.0" encoding="UTF-8"?>} then the root element (default {@code lead}),
 *       nested maps as nested elements, a list repeats its element, null as an empty element. Names
 *       must be XML names without a colon; text is escaped, and characters XML 1.0 cannot carry at all
 *       (control characters other than tab, newline, carriage return) are dropped.</li>
 * </ul>
 * Numbers are written in plain notation (never {@code 1.0E10}) in FORM and XML. Thread-safe.
 */
public final class PayloadWriter {

    public static final String DEFAULT_XML_ROOT = "lead";

    private static final ObjectMapper JSON = Json.MAPPER;

    // XML 1.0 (5th edition) Name, minus ':' so no element needs a namespace declaration.
    private static final String NAME_START = "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D"
            + "\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD"
            + "\\x{10000}-\\x{EFFFF}";
    private static final Pattern XML_NAME = Pattern.compile(
            "[" + NAME_START + "][" + NAME_START + "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*");

    /**
     * The Content-Type header for a format, always with {@code charset=UTF-8}: JSON defines no charset
     * parameter and compliant receivers ignore it, but servers that decode bodies as ISO-8859-1 by
     * default (older servlet containers, notably for form parameters) need it to read "José" right.
     */
    public String contentType(PayloadFormat format) {
        return format.contentType() + "; charset=UTF-8";
    }

    /** @param xmlRoot the XML root element; null or blank means {@value #DEFAULT_XML_ROOT}; ignored for JSON and FORM */
    public String write(PayloadFormat format, String xmlRoot, Map<String, Object> fields) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case JSON -> json(fields);
            case FORM -> form(fields);
            case XML -> xml(xmlRoot == null || xmlRoot.isBlank() ? DEFAULT_XML_ROOT : xmlRoot, fields);
        };
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fields cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String form(Map<String, Object> fields) {
        StringJoiner pairs = new StringJoiner("&");
        fields.forEach((key, value) -> addFormPairs(pairs, key, value));
        return pairs.toString();
    }

    private static void addFormPairs(StringJoiner pairs, String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((childKey, childValue) -> addFormPairs(pairs, key + "." + childKey, childValue));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> addFormPairs(pairs, key, item));
        } else {
            pairs.add(formEncode(key) + "=" + formEncode(scalarText(value)));
        }
    }

    private static String formEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String xml(String root, Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        appendElement(out, root, fields);
        return out.toString();
    }

    private static void appendElement(StringBuilder out, String name, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(item -> appendElement(out, name, item));
            return;
        }
        checkXmlName(name);
        if (value == null) {
            out.append('<').append(name).append("/>");
            return;
        }
        out.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> map) {
            map.forEach((childName, childValue) -> appendElement(out, String.valueOf(childName), childValue));
        } else {
            appendEscaped(out, scalarText(value));
        }
        out.append("</").append(name).append('>');
    }

    private static void checkXmlName(String name) {
        if (!XML_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid XML element name");
        }
    }

    private static void appendEscaped(StringBuilder out, String text) {
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#13;"); // a literal CR would be normalised to LF by the receiving parser
                default -> {
                    if (isXmlChar(c)) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
    }

    private static boolean isXmlChar(int c) {
        return c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private static String scalarText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            return new BigDecimal(value.toString()).toPlainString();
        }
        return value.toString();
    }
}
