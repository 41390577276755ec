package io.leadrouter.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The books of a scenario, checked at its end: every accepted lead has exactly one terminal
 * outcome per selected buyer (delivered, a final failure, or a dead letter), and the event table
 * and the firehose hold the same events. A run whose books do not balance is not a result.
 *
 * @param accepted          leads the router accepted: 202 answers plus acknowledged Kafka records
 * @param leadsStored       rows in the leads table
 * @param leadsCompleted    leads the router marked complete
 * @param terminalLeads     per buyer: leads with a terminal outcome
 * @param repeatedTerminal  terminal outcomes beyond the first for one (lead, buyer)
 * @param deadLettered      per refusing buyer: leads dead-lettered
 * @param held              per refusing buyer: leads its circuit holds
 * @param calls             per refusing buyer: calls made to it
 * @param tableEvents       rows in recipient_events
 * @param topicEvents       distinct event_ids on the firehose
 * @param topicRecords      records on the firehose (repeats included)
 * @param missingOnTopic    event_ids in the table but not on the firehose
 * @param missingInTable    event_ids on the firehose but not in the table
 */
record Books(long accepted, long leadsStored, long leadsCompleted, Map<String, Long> terminalLeads, long repeatedTerminal,
        Map<String, Long> deadLettered, Map<String, Long> held, Map<String, Long> calls, long tableEvents, long topicEvents, long topicRecords, long missingOnTopic,
        long missingInTable, List<String> problems) {

    boolean balanced() {
        return problems.isEmpty();
    }

    static Books check(Scenario scenario, long accepted, EventTable table, FirehoseCounter firehose) throws SQLException {
        List<String> problems = new ArrayList<>();
        long leadsStored = table.leads();
        if (leadsStored != accepted) {
            problems.add("leads accepted " + accepted + " != leads stored " + leadsStored);
        }
        Map<String, Long> terminalLeads = new LinkedHashMap<>();
        Map<String, Long> deadLettered = new LinkedHashMap<>();
        Map<String, Long> held = new LinkedHashMap<>();
        Map<String, Long> calls = new LinkedHashMap<>();
        for (BenchBuyer buyer : scenario.buyers()) {
            long leads = table.leadsWithTerminalOutcome(buyer.id());
            terminalLeads.put(buyer.id(), leads);
            if (leads != accepted) {
                problems.add("leads accepted " + accepted + " != leads with a terminal outcome for " + buyer.id() + " " + leads);
            }
            if (buyer.role() == BenchBuyer.Role.REFUSING) {
                long dead = table.leadsDeadLettered(buyer.id());
                long waiting = table.leadsHeld(buyer.id());
                deadLettered.put(buyer.id(), dead);
                held.put(buyer.id(), waiting);
                calls.put(buyer.id(), table.calls(buyer.id()));
                if (dead + waiting != accepted) {
                    problems.add("leads accepted " + accepted + " != leads dead-lettered " + dead + " + held " + waiting + " for " + buyer.id());
                }
            }
        }
        if (scenario.hasRules()) {
            rulesLetEveryLeadThrough(scenario, accepted, table, problems);
        }
        long repeated = table.repeatedTerminalOutcomes();
        if (repeated != 0) {
            problems.add(repeated + " terminal outcome(s) repeat a (lead, buyer) pair");
        }

        Set<String> inTable = table.eventIds();
        Set<String> onTopic = firehose.eventIds();
        Set<String> missingOnTopic = new HashSet<>(inTable);
        missingOnTopic.removeAll(onTopic);
        Set<String> missingInTable = new HashSet<>(onTopic);
        missingInTable.removeAll(inTable);
        if (inTable.size() != onTopic.size()) {
            problems.add("events in the table " + inTable.size() + " != distinct event_ids on the topic " + onTopic.size());
        }
        if (!missingOnTopic.isEmpty() || !missingInTable.isEmpty()) {
            problems.add(missingOnTopic.size() + " event(s) only in the table, " + missingInTable.size() + " only on the topic");
        }
        if (firehose.unreadable() > 0) {
            problems.add(firehose.unreadable() + " firehose record(s) are not event JSON");
        }
        return new Books(accepted, leadsStored, table.completedLeads(), terminalLeads, repeated, deadLettered, held, calls,
                inTable.size(), onTopic.size(), firehose.records(), missingOnTopic.size(), missingInTable.size(),
                List.copyOf(problems));
    }

    /**
     * A scenario whose rules let every lead through (rules-3): no rule said no, every lead was bought by
     * every buyer, and what the offers reserved was settled as sold (a cap slot, a consumer claim per lead).
     */
    private static void rulesLetEveryLeadThrough(Scenario scenario, long accepted, EventTable table, List<String> problems)
            throws SQLException {
        long decisions = table.routingDecisions();
        if (decisions != 0) {
            problems.add(decisions + " routing decision(s): a rule did not let a lead through");
        }
        long unsettled = table.unsettledReservations();
        if (unsettled != 0) {
            problems.add(unsettled + " cap slot(s) or consumer claim(s) not settled");
        }
        for (BenchBuyer buyer : scenario.buyers()) {
            long delivered = table.leadsDelivered(buyer.id());
            if (delivered != accepted) {
                problems.add("leads accepted " + accepted + " != leads delivered to " + buyer.id() + " " + delivered);
            }
            if (buyer.caps() && table.capSlotsSold(buyer.id()) != accepted) {
                problems.add("leads accepted " + accepted + " != cap slots sold for " + buyer.id() + " " + table.capSlotsSold(buyer.id()));
            }
            if (buyer.dedupes() && table.consumersSold(buyer.id()) != accepted) {
                problems.add("leads accepted " + accepted + " != consumers sold to " + buyer.id() + " " + table.consumersSold(buyer.id()));
            }
        }
    }

    /** For a run that did not get as far as its books (the router did not finish in time, or failed). */
    static Books notChecked(long accepted, String why) {
        return new Books(accepted, -1, -1, Map.of(), -1, Map.of(), Map.of(), Map.of(), -1, -1, -1, -1, -1, List.of(why));
    }

    String banner(String scenario) {
        String line = "!".repeat(78);
        StringBuilder text = new StringBuilder()
                .append(line).append('\n')
                .append("!!  BOOKS DO NOT BALANCE — ").append(scenario).append(": not a result\n");
        problems.forEach(p -> text.append("!!  ").append(p).append('\n'));
        text.append("!!  accepted=").append(accepted).append(" stored=").append(leadsStored)
                .append(" completed=").append(leadsCompleted).append(" terminal per buyer=").append(terminalLeads)
                .append(" dead-lettered=").append(deadLettered).append(" held=").append(held).append('\n')
                .append("!!  table events=").append(tableEvents).append(" topic distinct=").append(topicEvents)
                .append(" topic records=").append(topicRecords).append('\n')
                .append(line);
        return text.toString();
    }
}
