package org.revbench.harness.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code revbench submit --scheduler slurm}: N workers as one Slurm array job. The sbatch script runs one
 * {@code revbench worker} per array task ({@code --array=0-(N-1)}), each with its own log; the store's URL and user and
 * the shared work directory reach the workers through the environment the script exports, and the password only
 * through the submitting shell's environment, which sbatch hands on ({@code --export=ALL}): it is never written in
 * the script nor on a command line, where {@code ps} and {@code scontrol show job} would show it.
 *
 * @param workers        array tasks, one worker each
 * @param gpusPerWorker  GPUs per worker ({@code --gres=gpu:G}), or null for none
 * @param cpusPerWorker  CPUs per worker ({@code --cpus-per-task}), or null for Slurm's default
 * @param partition      the partition, or null for the cluster's default
 * @param time           the time limit per worker ({@code [D-]HH:MM:SS}), or null for the partition's
 * @param logDir         where each array task writes its log
 * @param environment    what the script exports (store URL and user, work directory)
 * @param command        the worker's command line (the launcher and {@code worker} with its options)
 */
public record SlurmSubmission(int workers, Integer gpusPerWorker, Integer cpusPerWorker, String partition, String time,
                              Path logDir, Map<String, String> environment, List<String> command) {

    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d{1,3}:\\d{2}:\\d{2}");
    private static final Pattern PASSWORD = Pattern.compile("(?i)[?&;]password=");

    public SlurmSubmission {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (gpusPerWorker != null && gpusPerWorker < 0) {
            throw new IllegalArgumentException("--gpus-per-worker must not be negative, got " + gpusPerWorker);
        }
        if (cpusPerWorker != null && cpusPerWorker < 1) {
            throw new IllegalArgumentException("--cpus-per-worker must be at least 1, got " + cpusPerWorker);
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException("--time must be HH:MM:SS or D-HH:MM:SS, got " + time);
        }
        if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) {
            throw new IllegalArgumentException("--partition must be a partition name, got " + partition);
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getValue() != null && PASSWORD.matcher(e.getValue()).find()) {
                throw new IllegalArgumentException("the store URL holds a password, which the script would show to"
                        + " everyone who reads the job: leave it out of the URL and set REVBENCH_DB_PASSWORD in the shell"
                        + " that submits (sbatch hands its environment to the workers)");
            }
        }
        environment = new LinkedHashMap<>(environment);
        command = List.copyOf(command);
    }

    /** The sbatch script. */
    public String script() {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        b.append("# RevBench workers: each array task runs one `revbench worker` against the shared results store until"
                + " its queue is empty.\n");
        b.append("# Written by `revbench submit`; see docs/cluster.md.\n");
        b.append("#SBATCH --job-name=revbench-workers\n");
        b.append("#SBATCH --array=0-").append(workers - 1).append('\n');
        b.append("#SBATCH --ntasks=1\n");
        if (cpusPerWorker != null) {
            b.append("#SBATCH --cpus-per-task=").append(cpusPerWorker).append('\n');
        }
        if (gpusPerWorker != null && gpusPerWorker > 0) {
            b.append("#SBATCH --gres=gpu:").append(gpusPerWorker).append('\n');
        }
        if (partition != null) {
            b.append("#SBATCH --partition=").append(partition).append('\n');
        }
        if (time != null) {
            b.append("#SBATCH --time=").append(time).append('\n');
        }
        b.append("#SBATCH --output=").append(logDir.resolve("revbench-worker-%A_%a.log")).append('\n');
        // the submitting shell's environment, REVBENCH_DB_PASSWORD included, reaches the workers this way only
        b.append("#SBATCH --export=ALL\n");
        // a worker stopped at the time limit gets SIGTERM and gives its item back; Slurm waits KillWait before SIGKILL
        b.append("#SBATCH --signal=TERM@60\n");
        b.append("set -euo pipefail\n");
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getValue() != null) {
                b.append("export ").append(e.getKey()).append('=').append(quoted(e.getValue())).append('\n');
            }
        }
        b.append("echo \"revbench worker ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) from"
                + " $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n");
        b.append("exec");
        for (String c : command) {
            b.append(' ').append(quoted(c));
        }
        b.append('\n');
        return b.toString();
    }

    /** Single-quoted for bash. */
    static String quoted(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Writes the script to {@code file} and submits it with {@code sbatch --parsable}; returns the job id.
     *
     * @throws IOException when sbatch cannot be run or refuses, with its message
     */
    public String submit(Path file, String sbatch) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, script());
        ProcessBuilder pb = new ProcessBuilder(sbatch, "--parsable", file.toString()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + sbatch + " (is Slurm's client installed and on the PATH?): "
                    + e.getMessage(), e);
        }
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(sbatch + " did not answer within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(sbatch + " refused " + file + " (exit " + p.exitValue() + "): " + output);
        }
        String last = output.lines().reduce((a, c) -> c).orElse("");
        return last.split(";")[0].strip(); // --parsable: "jobid" or "jobid;cluster"
    }

    /**
     * The command that starts RevBench as this process was started: the checkout's {@code revbench} script where this
     * process came from one ({@code revbench.home}), else this JVM with its arguments and class path.
     */
    public static List<String> launcher() {
        String home = System.getProperty("revbench.home");
        if (home != null && Files.isExecutable(Path.of(home, "revbench"))) {
            return List.of(Path.of(home, "revbench").toAbsolutePath().toString());
        }
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) {
                c.add(a);
            }
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("org.revbench.harness.cli.RevBench");
        return c;
    }
}
