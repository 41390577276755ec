package io.leadrouter.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvColumnsTest {

    @Test
    void textIsQuotedOnlyWhenItMustBeAndFormulasAreMadeInert() {
        assertEquals("plain", CsvColumns.escape("plain"));
        assertEquals("", CsvColumns.escape(""));
        assertEquals("\"a,b\"", CsvColumns.escape("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvColumns.escape("say \"hi\""));
        assertEquals("\"line\rbreak\"", CsvColumns.escape("line\rbreak"));
        assertEquals("'-2+3", CsvColumns.escape("-2+3"));
        assertEquals("'@SUM(A1)", CsvColumns.escape("@SUM(A1)"));
        assertEquals("\"'=1,2\"", CsvColumns.escape("=1,2"));
    }

    @Test
    void aRowHasEveryColumnNumbersAsTheyAreAndMissingFieldsEmpty() throws Exception {
        String row = CsvColumns.row(Json.MAPPER.readTree("""
                {"event_id":"e1","event_type":"recipient.delivered","recipient":{"id":"rcp_1","name":"Acme, Inc."},
                 "duration_ms":423,"delivery":{"price":45.00,"margin":-1.5},"metadata":{"final":true},"response":{"status_code":"200"}}"""));
        List<List<String>> parsed = Csv.parse(row);
        List<String> fields = parsed.get(0);
        assertEquals(CsvColumns.COLUMNS.size(), fields.size());
        List<String> names = Csv.parse(CsvColumns.header()).get(0);
        assertEquals("Acme, Inc.", fields.get(names.indexOf("recipient_name")));
        assertEquals("45.00", fields.get(names.indexOf("price")));
        assertEquals("-1.5", fields.get(names.indexOf("margin")), "a number is never taken for a formula");
        assertEquals("true", fields.get(names.indexOf("final")));
        assertEquals("200", fields.get(names.indexOf("status_code")), "a number sent as text stays as it came");
        assertEquals("", fields.get(names.indexOf("failure_reason")));
    }
}
