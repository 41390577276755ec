package io.leadrouter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerFileParser;
import io.leadrouter.delivery.LeadMapper;
import io.leadrouter.delivery.PayloadWriter;
import io.leadrouter.testing.BuyerFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The body the router sends to the /fast buyer for the sample lead, made by the router's own
 * buyer file parser, mapper and payload writer, so that the baseline posts exactly the same bytes.
 */
record BaselinePayload(String contentType, String body) {

    static BaselinePayload forSampleLead(String fastUrl, Path workDir) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("baseline-buyer"));
        Path file = BenchBuyerFiles.write(dir, BenchBuyer.fast("rcp_benchBaseline", 1), fastUrl, 5000);
        Buyer buyer = new BuyerFileParser().parse(file);
        var fields = new LeadMapper().map(buyer.mapping(), new ObjectMapper().readTree(BuyerFiles.SAMPLE_LEAD));
        PayloadWriter writer = new PayloadWriter();
        return new BaselinePayload(writer.contentType(buyer.format()), writer.write(buyer.format(), buyer.xmlRoot(), fields));
    }
}
