package io.leadrouter.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.cache.Cache;
import com.jayway.jsonpath.spi.cache.CacheProvider;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.support.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * One buyer answer, read as its declared type on first use: JSON through JSONPath, XML through XPath,
 * text through a regular expression (group 1 if the pattern has one, else the whole match).
 */
final class ResponseBody {

    static final int EVENT_BODY_MAX_CHARS = 64 * 1024;

    /**
     * Longest number a JSON answer may hold and still be JSON (Jackson's default is 1,000): a buyer that
     * accepted with a 10,000-digit payout has still accepted; the payout is then ignored (Money's bounds).
     */
    static final int MAX_NUMBER_CHARS = 16 * 1024;

    // differs from Json.MAPPER: a buyer's long numbers are still JSON, and trailing garbage after the JSON is not
    static final ObjectMapper JSON = Json.configure(JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_CHARS).build())
                    .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                    .build()))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
            .mappingProvider(new JacksonMappingProvider(JSON))
            .build();

    /** The answer does not parse as the type the buyer's rules declare. */
    static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message, null, false, false);
        }
    }

    private final ResponseType type;
    private final String raw;
    private Object parsed;
    private UnreadableException parseFailure;

    ResponseBody(ResponseType type, String raw) {
        this.type = type;
        this.raw = raw;
    }

    /** The body as an event shows it; see {@link BuyerVerdict#bodyForEvent()}. */
    Object forEvent() {
        if (isBlank()) {
            return null;
        }
        if (raw.length() > EVENT_BODY_MAX_CHARS) {
            int cut = Character.isHighSurrogate(raw.charAt(EVENT_BODY_MAX_CHARS - 1)) ? EVENT_BODY_MAX_CHARS - 1 : EVENT_BODY_MAX_CHARS;
            int droppedBytes = raw.substring(cut).getBytes(StandardCharsets.UTF_8).length;
            return raw.substring(0, cut) + "…[truncated " + droppedBytes + " bytes]";
        }
        if (type == ResponseType.JSON && isReadable()) {
            return parsed;
        }
        return raw;
    }

    boolean isBlank() {
        return raw == null || raw.isBlank();
    }

    /** The whole body without surrounding whitespace, or null when blank. */
    String text() {
        return isBlank() ? null : raw.strip();
    }

    boolean isReadable() {
        try {
            parsed();
            return true;
        } catch (UnreadableException e) {
            return false;
        }
    }

    /**
     * The text of the value at {@code path}, stripped; empty when nothing is there (or it is null or blank). A
     * null or blank path means the whole body.
     *
     * @throws UnreadableException      if the body does not parse as the declared type
     * @throws IllegalArgumentException if the path itself is not a valid JSONPath, XPath or regex
     */
    Optional<String> valueAt(String path) throws UnreadableException {
        if (path == null || path.isBlank()) {
            return Optional.ofNullable(text());
        }
        Optional<String> value = switch (type) {
            case JSON -> jsonValue(path);
            case XML -> xmlValue(path);
            case TEXT -> textValue(path);
        };
        return value.map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Like {@link #valueAt} but a body that does not parse just has no value. */
    Optional<String> valueAtIfReadable(String path) {
        try {
            return valueAt(path);
        } catch (UnreadableException e) {
            return Optional.empty();
        }
    }

    private Object parsed() throws UnreadableException {
        if (parsed == null && parseFailure == null) {
            try {
                parsed = parse();
            } catch (UnreadableException e) {
                parseFailure = e;
            }
        }
        if (parseFailure != null) {
            throw parseFailure;
        }
        return parsed;
    }

    private Object parse() throws UnreadableException {
        if (isBlank()) {
            throw new UnreadableException("response body is empty, expected " + type);
        }
        return switch (type) {
            case JSON -> parseJson();
            case XML -> parseXml();
            case TEXT -> raw;
        };
    }

    private JsonNode parseJson() throws UnreadableException {
        try {
            return JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new UnreadableException("response body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    private Document parseXml() throws UnreadableException {
        try {
            DocumentBuilder builder = safeXmlFactory().newDocumentBuilder();
            builder.setErrorHandler(THROWING_ERROR_HANDLER);
            return builder.parse(new InputSource(new StringReader(raw)));
        } catch (SAXException e) {
            throw new UnreadableException("response body is not valid XML: " + firstLine(e.getMessage()));
        } catch (java.io.IOException | ParserConfigurationException e) {
            throw new IllegalStateException("XML parser unavailable", e);
        }
    }

    // No DTDs at all (so no external entities, no entity expansion bombs), no XInclude. Namespaces are
    // ignored so that buyers' XPaths work without prefixes.
    private static DocumentBuilderFactory safeXmlFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }

    // The default handler prints "[Fatal Error] ..." to stderr before throwing.
    private static final ErrorHandler THROWING_ERROR_HANDLER = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private Optional<String> jsonValue(String path) throws UnreadableException {
        JsonNode root = (JsonNode) parsed();
        JsonPath compiled = compileJsonPath(path);
        JsonNode found;
        try {
            found = JsonPath.using(JSON_PATH).parse(root).read(compiled);
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        // An indefinite path ($..id, filters) yields a list of matches: the first one counts.
        if (!compiled.isDefinite() && found != null && found.isArray()) {
            found = found.isEmpty() ? null : found.get(0);
        }
        if (found == null || found.isNull() || found.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(found.isValueNode() ? found.asText() : found.toString());
    }

    /** Compiled once per path, in JsonPath's own cache (a bounded LRU), as its static read methods do. */
    private static JsonPath compileJsonPath(String path) {
        Cache cache = CacheProvider.getCache();
        JsonPath compiled = cache.get(path);
        if (compiled != null) {
            return compiled;
        }
        try {
            compiled = JsonPath.compile(path);
            cache.put(path, compiled);
            return compiled;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid JSONPath '" + path + "': " + e.getMessage(), e);
        }
    }

    private Optional<String> xmlValue(String path) throws UnreadableException {
        Document document = (Document) parsed();
        try {
            return Optional.of((String) compileXPath(path).evaluate(document, XPathConstants.STRING));
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("XPath '" + path + "' cannot be evaluated: " + e.getMessage(), e);
        }
    }

    private static XPathExpression compileXPath(String path) {
        try {
            return XPathFactory.newDefaultInstance().newXPath().compile(path);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("invalid XPath '" + path + "'", e);
        }
    }

    private Optional<String> textValue(String regex) {
        if (isBlank()) {
            return Optional.empty();
        }
        Matcher matcher = Pattern.compile(regex).matcher(raw);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.ofNullable(matcher.groupCount() >= 1 ? matcher.group(1) : matcher.group());
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse("").strip();
    }
}
