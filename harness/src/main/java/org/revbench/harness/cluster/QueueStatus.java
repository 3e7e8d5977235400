package org.revbench.harness.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.revbench.harness.result.WorkItem;
import org.revbench.harness.run.GridRunner;

/**
 * {@code revbench status}: the queue per table: how many items are planned, running (on which host and worker,
 * since when, at what progress), done and failed (with the error), and the time left: the estimates of the items
 * not done (of a running one, what its estimate leaves after the time it has run) over the number of workers now
 * measuring (at least one). A running item whose lease ran out is shown as such: its worker is gone, and the next
 * worker to ask takes it over.
 */
public record QueueStatus(List<TableStatus> tables, int workers, Double secondsLeft, int withoutEstimate, long now) {

    /** One table's items. */
    public record TableStatus(String table, int planned, int done, int failed, List<WorkItem> running,
                              List<WorkItem> failures, Double secondsLeft, int withoutEstimate) {}

    /** The status of {@code items} at the database's moment {@code now} (epoch milliseconds). */
    public static QueueStatus of(List<WorkItem> items, long now) {
        Map<String, List<WorkItem>> byTable = new TreeMap<>();
        for (WorkItem it : items) {
            byTable.computeIfAbsent(it.table(), k -> new ArrayList<>()).add(it);
        }
        Set<String> workers = items.stream().filter(it -> live(it, now)).map(WorkItem::worker).collect(Collectors.toSet());
        List<TableStatus> tables = new ArrayList<>();
        double total = 0;
        int totalWithout = 0;
        for (Map.Entry<String, List<WorkItem>> e : byTable.entrySet()) {
            int planned = 0;
            int done = 0;
            int failed = 0;
            List<WorkItem> running = new ArrayList<>();
            List<WorkItem> failures = new ArrayList<>();
            double left = 0;
            int without = 0;
            for (WorkItem it : e.getValue()) {
                switch (it.state()) {
                    case WorkItem.PLANNED -> planned++;
                    case WorkItem.DONE -> done++;
                    case WorkItem.FAILED -> {
                        failed++;
                        failures.add(it);
                    }
                    default -> running.add(it);
                }
                if (WorkItem.PLANNED.equals(it.state()) || WorkItem.RUNNING.equals(it.state())) {
                    if (it.estimateSeconds() == null) {
                        without++;
                    } else {
                        double ran = WorkItem.RUNNING.equals(it.state()) && live(it, now) && it.startedAt() != null
                                ? (now - it.startedAt()) / 1000.0 : 0;
                        left += Math.max(0, it.estimateSeconds() - ran);
                    }
                }
            }
            int measuring = Math.max(1, workers.size());
            tables.add(new TableStatus(e.getKey(), planned, done, failed, running, failures, left / measuring, without));
            total += left;
            totalWithout += without;
        }
        return new QueueStatus(tables, workers.size(), total / Math.max(1, workers.size()), totalWithout, now);
    }

    /** Whether a running item's worker still renews its lease. */
    static boolean live(WorkItem it, long now) {
        return WorkItem.RUNNING.equals(it.state()) && it.leaseUntil() != null && it.leaseUntil() >= now;
    }

    /** The status as text: a line per table, then its running and failed items. */
    public String render() {
        if (tables.isEmpty()) {
            return "no work items: plan some with `revbench plan --table PAPER:TABLE --scale SCALE`";
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-28s %8s %8s %8s %8s  %s%n", "table", "planned", "running", "done",
                "failed", "time left"));
        for (TableStatus t : tables) {
            b.append(String.format(Locale.ROOT, "%-28s %8d %8d %8d %8d  %s%n", t.table(), t.planned(), t.running().size(),
                    t.done(), t.failed(), left(t.secondsLeft(), t.withoutEstimate(), t.planned() + t.running().size())));
            for (WorkItem it : t.running()) {
                b.append("  running ").append(it.id()).append(' ').append(it.label()).append(": ");
                if (live(it, now)) {
                    b.append(it.worker()).append(" on ").append(it.host()).append(" (process ").append(it.pid())
                            .append("), since ").append(instant(it.startedAt())).append(" (").append(ago(it.startedAt()))
                            .append("), attempt ").append(it.attempts()).append(" of ").append(it.maxAttempts());
                    if (it.progress() != null) {
                        b.append(": ").append(it.progress());
                    }
                } else {
                    b.append("lease expired ").append(ago(it.leaseUntil())).append(" (").append(it.worker()).append(" on ")
                            .append(it.host()).append(" is gone); the next worker takes it over");
                }
                b.append('\n');
            }
            for (WorkItem it : t.failures()) {
                b.append("  failed ").append(it.id()).append(' ').append(it.label()).append(" after ").append(it.attempts())
                        .append(it.attempts() == 1 ? " attempt: " : " attempts: ").append(it.error()).append('\n');
            }
        }
        int pending = tables.stream().mapToInt(t -> t.planned() + t.running().size()).sum();
        b.append(String.format(Locale.ROOT, "%d workers measuring; time left: %s", workers,
                left(secondsLeft, withoutEstimate, pending)));
        return b.toString();
    }

    private static String left(Double seconds, int without, int pending) {
        if (pending == 0) {
            return "-";
        }
        if (without == pending) {
            return "unknown (no durations of earlier runs stored)";
        }
        return "about " + GridRunner.duration(seconds) + (without == 0 ? ""
                : " (+ " + without + " items without an estimate)");
    }

    private String ago(Long millis) {
        return millis == null ? "?" : GridRunner.duration(Math.abs(now - millis) / 1000.0) + (now >= millis ? " ago" : " from now");
    }

    private static String instant(Long millis) {
        return millis == null ? "?" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The status as the JSON object of {@code status --json}. */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> ts = new ArrayList<>();
        for (TableStatus t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.table());
            m.put("planned", t.planned());
            m.put("running", t.running().stream().map(it -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", it.id());
                r.put("item", it.label());
                r.put("worker", it.worker());
                r.put("host", it.host());
                r.put("pid", it.pid());
                r.put("since", instant(it.startedAt()));
                r.put("attempt", it.attempts());
                r.put("lease_expired", !live(it, now));
                r.put("progress", it.progress());
                return r;
            }).toList());
            m.put("done", t.done());
            m.put("failed", t.failures().stream().map(it -> Map.of("id", it.id(), "item", it.label(), "attempts",
                    it.attempts(), "error", String.valueOf(it.error()))).toList());
            m.put("seconds_left", t.secondsLeft());
            m.put("items_without_estimate", t.withoutEstimate());
            ts.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tables", ts);
        m.put("workers", workers);
        m.put("seconds_left", secondsLeft);
        m.put("items_without_estimate", withoutEstimate);
        return m;
    }
}
