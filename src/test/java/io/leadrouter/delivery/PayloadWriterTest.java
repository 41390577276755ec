package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.model.Buyer.PayloadFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadWriterTest {

    private final PayloadWriter writer = new PayloadWriter();

    /** An ordered map from key, value pairs (Map.of has no order, and no nulls). */
    private static Map<String, Object> fields(Object... keyThenValue) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            map.put((String) keyThenValue[i], keyThenValue[i + 1]);
        }
        return map;
    }

    private static final Map<String, Object> TYPICAL = fields(
            "first_name", "Ann",
            "age", 42,
            "tcpa", true,
            "applicant", fields("phone", "5551234567", "zip", "90210"));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonKeepsOrderTypesAndNesting() {
        assertEquals("{\"first_name\":\"Ann\",\"age\":42,\"tcpa\":true,\"applicant\":{\"phone\":\"5551234567\",\"zip\":\"90210\"}}",
                writer.write(PayloadFormat.JSON, null, TYPICAL));
    }

    @Test
    void jsonEscapesAndKeepsNonAsciiAsUtf8() {
        String body = writer.write(PayloadFormat.JSON, null, fields("name", "José \"Joe\"\n", "price", new BigDecimal("45.00"), "nothing", null));

        assertArrayEquals(utf8("{\"name\":\"José \\\"Joe\\\"\\n\",\"price\":45.00,\"nothing\":null}"), utf8(body));
    }

    @Test
    void jsonWritesListsAsArrays() {
        assertEquals("{\"tags\":[\"auto\",1]}", writer.write(PayloadFormat.JSON, null, fields("tags", List.of("auto", 1))));
    }

    @Test
    void formFlattensNestedKeysWithDots() {
        assertEquals("first_name=Ann&age=42&tcpa=true&applicant.phone=5551234567&applicant.zip=90210",
                writer.write(PayloadFormat.FORM, null, TYPICAL));
    }

    @Test
    void formPercentEncodesUtf8AndUsesPlusForSpace() {
        String body = writer.write(PayloadFormat.FORM, null, fields("name", "José Lee & co=1", "e mail", "a+b@x.com", "note", "*-._~"));

        assertArrayEquals(utf8("name=Jos%C3%A9+Lee+%26+co%3D1&e+mail=a%2Bb%40x.com&note=*-._%7E"), utf8(body));
    }

    @Test
    void formRepeatsTheKeyOfAListAndWritesNullAsEmpty() {
        assertEquals("tag=auto&tag=home&nothing=",
                writer.write(PayloadFormat.FORM, null, fields("tag", List.of("auto", "home"), "nothing", null)));
    }

    @Test
    void formWritesNumbersInPlainNotation() {
        assertEquals("big=10000000000&price=45.00&ratio=0.5",
                writer.write(PayloadFormat.FORM, null, fields("big", 1.0E10, "price", new BigDecimal("45.00"), "ratio", 0.5f)));
    }

    @Test
    void xmlWritesDeclarationRootAndNestedElements() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><first_name>Ann</first_name><age>42</age><tcpa>true</tcpa>"
                        + "<applicant><phone>5551234567</phone><zip>90210</zip></applicant></lead>",
                writer.write(PayloadFormat.XML, null, TYPICAL));
    }

    @Test
    void xmlUsesTheBuyersRoot() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Application><Name>Ann</Name></Application>",
                writer.write(PayloadFormat.XML, "Application", fields("Name", "Ann")));
    }

    @Test
    void xmlBlankRootMeansLead() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><a>1</a></lead>",
                writer.write(PayloadFormat.XML, "  ", fields("a", 1)));
    }

    @Test
    void xmlEscapesText() {
        String body = writer.write(PayloadFormat.XML, null, fields("company", "Smith & Sons <b> \"best\" José"));

        assertArrayEquals(utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><company>Smith &amp; Sons &lt;b&gt; &quot;best&quot; José</company></lead>"),
                utf8(body));
    }

    @Test
    void xmlKeepsTabAndNewlineEncodesCarriageReturnAndDropsControlCharacters() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><note>a\tb\nc&#13;de</note></lead>",
                writer.write(PayloadFormat.XML, null, fields("note", "a\tb\nc\rd\u0000\u001Be")));
    }

    @Test
    void xmlRepeatsTheElementOfAListAndWritesNullAsEmptyElement() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><tag>auto</tag><tag>home</tag><nothing/></lead>",
                writer.write(PayloadFormat.XML, null, fields("tag", List.of("auto", "home"), "nothing", null)));
    }

    @Test
    void xmlWritesNumbersInPlainNotation() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><big>10000000000</big><price>45.00</price></lead>",
                writer.write(PayloadFormat.XML, null, fields("big", 1.0E10, "price", new BigDecimal("45.00"))));
    }

    @Test
    void xmlAcceptsNamesWithDigitsHyphensDotsAndLetters() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><_x-1.a>1</_x-1.a><prénom>Zoë</prénom></lead>",
                writer.write(PayloadFormat.XML, null, fields("_x-1.a", 1, "prénom", "Zoë")));
    }

    @Test
    void xmlRefusesAFieldNameThatIsNoXmlName() {
        for (String bad : Arrays.asList("1st_name", "first name", "ns:name", "", "a&b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> writer.write(PayloadFormat.XML, null, fields("ok", "x", bad, "y")));
            assertEquals("'" + bad + "' is not a valid XML element name", e.getMessage());
        }
    }

    @Test
    void xmlRefusesANestedFieldNameThatIsNoXmlName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.write(PayloadFormat.XML, null, fields("applicant", fields("2nd", "x"))));
        assertEquals("'2nd' is not a valid XML element name", e.getMessage());
    }

    @Test
    void xmlRefusesARootThatIsNoXmlName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.write(PayloadFormat.XML, "my lead", fields("a", 1)));
        assertEquals("'my lead' is not a valid XML element name", e.getMessage());
    }

    @Test
    void emptyFieldsGiveEmptyDocuments() {
        assertEquals("{}", writer.write(PayloadFormat.JSON, null, fields()));
        assertEquals("", writer.write(PayloadFormat.FORM, null, fields()));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead></lead>", writer.write(PayloadFormat.XML, null, fields()));
    }

    @Test
    void contentTypesDeclareUtf8() {
        assertEquals("application/json; charset=UTF-8", writer.contentType(PayloadFormat.JSON));
        assertEquals("application/x-www-form-urlencoded; charset=UTF-8", writer.contentType(PayloadFormat.FORM));
        assertEquals("application/xml; charset=UTF-8", writer.contentType(PayloadFormat.XML));
    }
}
