package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.model.Buyer.FieldMapping;
import io.leadrouter.model.Buyer.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LeadMapper mapper = new LeadMapper();

    private static JsonNode lead(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static FieldMapping from(String from, String to) {
        return new FieldMapping(from, to, null, null, Transform.NONE);
    }

    private static FieldMapping from(String from, String to, Transform transform) {
        return new FieldMapping(from, to, null, null, transform);
    }

    private static FieldMapping withDefault(String from, String to, String defaultValue) {
        return new FieldMapping(from, to, null, defaultValue, Transform.NONE);
    }

    @Test
    void copiesFieldsInMappingOrder() throws Exception {
        Map<String, Object> fields = mapper.map(
                List.of(from("last_name", "surname"), from("first_name", "given"), from("email", "mail")),
                lead("{\"email\":\"ann@example.com\",\"first_name\":\"Ann\",\"last_name\":\"Lee\"}"));

        assertEquals(List.of("surname", "given", "mail"), new ArrayList<>(fields.keySet()));
        assertEquals(Map.of("surname", "Lee", "given", "Ann", "mail", "ann@example.com"), fields);
    }

    @Test
    void dottedFromReadsNestedLeadFields() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("contact.phone", "phone")),
                lead("{\"contact\":{\"phone\":\"555-123-4567\"}}"));

        assertEquals(Map.of("phone", "555-123-4567"), fields);
    }

    @Test
    void numericSegmentIndexesAnArray() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("phones.1", "alt_phone")),
                lead("{\"phones\":[\"5550001111\",\"5550002222\"]}"));

        assertEquals(Map.of("alt_phone", "5550002222"), fields);
    }

    @Test
    void dottedToBuildsNestedMapsSharingTheirParent() throws Exception {
        Map<String, Object> fields = mapper.map(
                List.of(from("first_name", "applicant.first"), from("phone", "applicant.contact.phone"), from("zip", "zip")),
                lead("{\"first_name\":\"Ann\",\"phone\":\"5551234567\",\"zip\":\"90210\"}"));

        assertEquals(Map.of(
                "applicant", Map.of("first", "Ann", "contact", Map.of("phone", "5551234567")),
                "zip", "90210"), fields);
        assertEquals(List.of("applicant", "zip"), new ArrayList<>(fields.keySet()));
    }

    @Test
    void constantValueWhenFromIsAbsent() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(new FieldMapping(null, "source", "leadrouter", null, Transform.NONE)),
                lead("{}"));

        assertEquals(Map.of("source", "leadrouter"), fields);
    }

    @Test
    void defaultWhenLeadLacksTheField() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(withDefault("state", "state", "CA")), lead("{}"));

        assertEquals(Map.of("state", "CA"), fields);
    }

    @Test
    void defaultWhenLeadFieldIsNull() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(withDefault("state", "state", "CA")), lead("{\"state\":null}"));

        assertEquals(Map.of("state", "CA"), fields);
    }

    @Test
    void defaultWhenLeadFieldIsEmptyOrBlank() throws Exception {
        List<FieldMapping> mapping = List.of(withDefault("a", "a", "x"), withDefault("b", "b", "y"));

        assertEquals(Map.of("a", "x", "b", "y"), mapper.map(mapping, lead("{\"a\":\"\",\"b\":\"   \"}")));
    }

    @Test
    void defaultWhenParentObjectIsMissing() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(withDefault("contact.phone", "phone", "0000000000")), lead("{}"));

        assertEquals(Map.of("phone", "0000000000"), fields);
    }

    @Test
    void defaultWhenTransformLeavesNothingAndDefaultIsUsedAsWritten() throws Exception {
        Map<String, Object> fields = mapper.map(
                List.of(new FieldMapping("phone", "phone", null, "n/a", Transform.DIGITS_ONLY)), lead("{\"phone\":\"none\"}"));

        assertEquals(Map.of("phone", "n/a"), fields);
    }

    @Test
    void missingFieldWithoutDefaultIsLeftOut() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("first_name", "first"), from("middle_name", "middle")),
                lead("{\"first_name\":\"Ann\",\"middle_name\":null}"));

        assertEquals(Map.of("first", "Ann"), fields);
    }

    @Test
    void digitsOnlyKeepsDigits() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("phone", "phone", Transform.DIGITS_ONLY)),
                lead("{\"phone\":\"+1 (555) 123-4567\"}"));

        assertEquals(Map.of("phone", "15551234567"), fields);
    }

    @Test
    void upperCases() throws Exception {
        assertEquals(Map.of("state", "CA"),
                mapper.map(List.of(from("state", "state", Transform.UPPER)), lead("{\"state\":\"ca\"}")));
    }

    @Test
    void lowerCases() throws Exception {
        assertEquals(Map.of("email", "ann@example.com"),
                mapper.map(List.of(from("email", "email", Transform.LOWER)), lead("{\"email\":\"Ann@Example.COM\"}")));
    }

    @Test
    void trims() throws Exception {
        assertEquals(Map.of("city", "Los Angeles"),
                mapper.map(List.of(from("city", "city", Transform.TRIM)), lead("{\"city\":\"  Los Angeles \\t\"}")));
    }

    @Test
    void noneLeavesTextAlone() throws Exception {
        assertEquals(Map.of("city", " Los Angeles "),
                mapper.map(List.of(from("city", "city", Transform.NONE)), lead("{\"city\":\" Los Angeles \"}")));
    }

    @Test
    void nullTransformMeansNone() throws Exception {
        assertEquals(Map.of("city", "la"),
                mapper.map(List.of(from("city", "city", null)), lead("{\"city\":\"la\"}")));
    }

    @Test
    void numbersAndBooleansKeepTheirJsonType() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("age", "age"), from("score", "score"), from("tcpa", "tcpa")),
                lead("{\"age\":42,\"score\":87.5,\"tcpa\":true}"));

        assertEquals(42, fields.get("age"));
        assertEquals(87.5, fields.get("score"));
        assertEquals(Boolean.TRUE, fields.get("tcpa"));
    }

    @Test
    void transformsTurnNumbersAndBooleansIntoText() throws Exception {
        Map<String, Object> fields = mapper.map(
                List.of(from("zip", "zip", Transform.DIGITS_ONLY), from("tcpa", "tcpa", Transform.UPPER)),
                lead("{\"zip\":90210,\"tcpa\":false}"));

        assertEquals(Map.of("zip", "90210", "tcpa", "FALSE"), fields);
    }

    @Test
    void objectsAndArraysAreCopiedAsMapsAndLists() throws Exception {
        Map<String, Object> fields = mapper.map(List.of(from("vehicle", "vehicle", Transform.UPPER), from("tags", "tags")),
                lead("{\"vehicle\":{\"make\":\"Honda\",\"year\":2019},\"tags\":[\"auto\",1]}"));

        assertEquals(Map.of("vehicle", Map.of("make", "Honda", "year", 2019), "tags", List.of("auto", 1)), fields);
    }

    @Test
    void nullMappingGivesNoFields() throws Exception {
        assertEquals(Map.of(), mapper.map(null, lead("{\"a\":1}")));
    }

    @Test
    void targetThroughAnExistingValueIsRefused() throws Exception {
        List<FieldMapping> mapping = List.of(from("phone", "applicant"), from("phone", "applicant.phone"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.map(mapping, lead("{\"phone\":\"5551234567\"}")));
        assertEquals("mapping target 'applicant.phone' needs 'applicant' to be an object, but it already holds a value", e.getMessage());
    }

    @Test
    void targetReplacingANestedObjectIsRefused() throws Exception {
        List<FieldMapping> mapping = List.of(from("phone", "applicant.phone"), from("phone", "applicant"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mapper.map(mapping, lead("{\"phone\":\"5551234567\"}")));
        assertEquals("mapping target 'applicant' would replace the object built by earlier nested fields", e.getMessage());
    }
}
