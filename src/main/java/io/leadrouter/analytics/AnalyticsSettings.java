package io.leadrouter.analytics;

/** leadrouter.analytics.*: where hours and days are counted, and the longest range answered. */
public record AnalyticsSettings(AnalyticsCalendar calendar, int maxRangeDays) {
}
