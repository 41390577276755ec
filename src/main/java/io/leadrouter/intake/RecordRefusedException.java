package io.leadrouter.intake;

/**
 * A record of the Kafka leads topic that cannot be taken in for a reason waiting will not cure; the
 * intake route parks it on the invalid-leads topic with this message as its {@code leadrouter-error}.
 */
public final class RecordRefusedException extends Exception {

    public RecordRefusedException(String problem) {
        super(problem, null, false, false);
    }
}
