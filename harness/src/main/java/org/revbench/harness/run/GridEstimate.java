package org.revbench.harness.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.revbench.harness.result.MeasurementStore;
import org.revbench.harness.spec.Scale;

/**
 * How long the tasks a grid run is about to measure will take, and then how long what remains of them will take.
 *
 * <p>Before the run, each task is estimated from the store: the duration of its newest stored measurement
 * ({@link MeasurementStore#lastTaskSeconds}: the same table, row, scale and protocol, whatever the commit). A task
 * without one gets the mean of the estimated tasks of its protocol, or else of all estimated tasks. While the run
 * goes on, the tasks it measured correct the rest: the remaining estimates are scaled by the ratio of the measured
 * tasks' durations to their estimates (a slower machine shows a longer time). Tasks that measured nothing here
 * (found stored meanwhile, left to another run) and tasks whose protocol failed correct nothing, and once past they
 * count as zero, as do the tasks already stored before the run (they are not among its tasks).
 *
 * <p>With no durations stored at all, nothing is estimated before the run, and the time left is the mean duration
 * of each protocol measured in this run so far (or of all so far) times the tasks of it that remain.
 *
 * <p>No clock is read here: durations come in through {@link #measured}, so tests give exact numbers.
 */
public final class GridEstimate {

    /** Where a task's estimate comes from. */
    enum Source {
        /** its own newest stored duration */
        EARLIER_RUN,
        /** the mean of the estimated tasks of its protocol */
        PROTOCOL_MEAN,
        /** the mean of all estimated tasks (none of its protocol has a stored duration) */
        MEAN_OF_ALL,
        /** none: no task has a stored duration */
        NONE
    }

    private final List<String> protocols;
    /** The estimate before the run; NaN where there is none. */
    private final double[] prior;
    private final Source[] sources;
    /** Seconds this run's measuring took, NaN for a task not (yet) measured. */
    private final double[] actual;

    private GridEstimate(List<String> protocols, double[] prior, Source[] sources) {
        this.protocols = List.copyOf(protocols);
        this.prior = prior;
        this.sources = sources;
        this.actual = new double[prior.length];
        Arrays.fill(actual, Double.NaN);
    }

    /** The estimate of {@code tasks} at {@code scale} from the durations {@code store} holds. */
    public static GridEstimate fromStore(MeasurementStore store, List<GridRunner.Task> tasks, Scale scale) {
        List<String> protocols = new ArrayList<>();
        List<Double> stored = new ArrayList<>();
        for (GridRunner.Task t : tasks) {
            protocols.add(t.protocol());
            OptionalDouble s = store.lastTaskSeconds(t.spec().id(), t.row().id(), scale.id(), t.protocol());
            stored.add(s.isPresent() ? s.getAsDouble() : null);
        }
        return of(protocols, stored);
    }

    /**
     * The estimate of tasks of protocols {@code protocols} whose stored durations are {@code stored} (the same
     * length, null where a task has none).
     */
    static GridEstimate of(List<String> protocols, List<Double> stored) {
        if (protocols.size() != stored.size()) {
            throw new IllegalArgumentException(protocols.size() + " tasks but " + stored.size() + " durations");
        }
        int n = protocols.size();
        Map<String, double[]> byProtocol = new LinkedHashMap<>(); // {sum, count} of the stored durations
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            Double s = stored.get(i);
            if (s != null) {
                double[] a = byProtocol.computeIfAbsent(protocols.get(i), k -> new double[2]);
                a[0] += s;
                a[1]++;
                sum += s;
                count++;
            }
        }
        double[] prior = new double[n];
        Source[] sources = new Source[n];
        for (int i = 0; i < n; i++) {
            Double s = stored.get(i);
            double[] a = byProtocol.get(protocols.get(i));
            if (s != null) {
                prior[i] = s;
                sources[i] = Source.EARLIER_RUN;
            } else if (a != null) {
                prior[i] = a[0] / a[1];
                sources[i] = Source.PROTOCOL_MEAN;
            } else if (count > 0) {
                prior[i] = sum / count;
                sources[i] = Source.MEAN_OF_ALL;
            } else {
                prior[i] = Double.NaN;
                sources[i] = Source.NONE;
            }
        }
        return new GridEstimate(protocols, prior, sources);
    }

    int size() { return prior.length; }

    /** Task {@code i}'s estimate before the run, NaN when there is none. */
    double prior(int i) { return prior[i]; }

    /** Task {@code i}'s estimate before this run measured anything; empty where nothing was stored to estimate from. */
    public OptionalDouble seconds(int i) {
        return Double.isNaN(prior[i]) ? OptionalDouble.empty() : OptionalDouble.of(prior[i]);
    }

    Source source(int i) { return sources[i]; }

    /** How many tasks' estimates come from {@code source}. */
    int count(Source source) {
        return (int) Arrays.stream(sources).filter(s -> s == source).count();
    }

    /** The whole run's estimate before it starts, empty when nothing could be estimated. */
    OptionalDouble total() {
        return left(0);
    }

    /** Task {@code i} ran its protocol here, in {@code seconds}: its time corrects the estimates of the rest. */
    void measured(int i, double seconds) {
        actual[i] = seconds;
    }

    /**
     * What the measured tasks took over what they were estimated to take: the factor on the remaining estimates;
     * 1 while none has been measured (or none had an estimate above zero).
     */
    double ratio() {
        double took = 0;
        double estimated = 0;
        for (int i = 0; i < prior.length; i++) {
            if (!Double.isNaN(actual[i]) && !Double.isNaN(prior[i])) {
                took += actual[i];
                estimated += prior[i];
            }
        }
        return estimated > 0 ? took / estimated : 1;
    }

    /**
     * The time left from task {@code next} on (tasks {@code next} to the last; those before it count as zero):
     * their estimates times {@link #ratio()}; without stored durations, the mean of this run's measured tasks of each
     * one's protocol (or of all). Empty when there is nothing to estimate from.
     */
    OptionalDouble left(int next) {
        if (count(Source.NONE) == 0) {
            double left = 0;
            for (int i = next; i < prior.length; i++) {
                left += prior[i];
            }
            return OptionalDouble.of(left * ratio());
        }
        Map<String, double[]> byProtocol = new LinkedHashMap<>(); // {sum, count} of this run's durations
        double sum = 0;
        int count = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Double.isNaN(actual[i])) {
                double[] a = byProtocol.computeIfAbsent(protocols.get(i), k -> new double[2]);
                a[0] += actual[i];
                a[1]++;
                sum += actual[i];
                count++;
            }
        }
        if (count == 0) {
            return OptionalDouble.empty();
        }
        double left = 0;
        for (int i = next; i < prior.length; i++) {
            double[] a = byProtocol.get(protocols.get(i));
            left += a == null ? sum / count : a[0] / a[1];
        }
        return OptionalDouble.of(left);
    }
}
