package io.leadrouter.intake;

/**
 * What intake accepts in one lead (application.properties {@code leadrouter.intake.*}). Checked
 * while the lead is read, before it may join a group-committed insert, so a lead that PostgreSQL
 * could not store, or that would make arithmetic burn CPU, is refused with 400 on its own.
 *
 * @param maxBodyBytes    the largest body, in bytes (413 beyond)
 * @param maxDepth        how deeply objects and arrays may nest
 * @param maxStringLength the longest string (value or field name), in characters
 * @param maxNumberDigits digits a number may have before, and after, its decimal point
 */
public record IntakeLimits(int maxBodyBytes, int maxDepth, int maxStringLength, int maxNumberDigits) {

    public IntakeLimits {
        if (maxBodyBytes < 1 || maxDepth < 1 || maxStringLength < 1 || maxNumberDigits < 1) {
            throw new IllegalArgumentException("intake limits must be positive: " + this);
        }
    }
}
