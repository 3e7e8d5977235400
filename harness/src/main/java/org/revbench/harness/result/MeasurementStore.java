package org.revbench.harness.result;

/** Where the grid runner puts each finished measurement, and asks what is already measured. */
public interface MeasurementStore {

    /** True when this row's protocol was already measured at this commit with these settings ({@code specHash}). */
    boolean has(String table, String row, String scale, String protocol, String commit, String specHash);

    /** Stores one measurement, committed at once: a crash later loses nothing saved before it. */
    void save(Measurement m);
}
