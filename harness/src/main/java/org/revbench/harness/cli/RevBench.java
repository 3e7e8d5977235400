package org.revbench.harness.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The RevBench command line: {@code revbench models|params|memory|train|bench|profile|...}. Run through the {@code revbench}
 * script at the repository root, or in-process with {@code new CommandLine(new RevBench()).execute(args)}.
 */
@Command(name = "revbench", mixinStandardHelpOptions = true, versionProvider = RevBench.Version.class,
        description = "Benchmarks for reversible spiking neural networks (DJL + libtorch on the CPU).",
        subcommands = {ModelsCommand.class, ParamsCommand.class, MemoryCommand.class, TrainCommand.class, BenchCommand.class, ProfileCommand.class, CrosscheckCommand.class, DataCommand.class, InvertCommand.class, GradcheckCommand.class,
                RunCommand.class, PlanCommand.class, WorkerCommand.class, StatusCommand.class, SubmitCommand.class,
                ResultsCommand.class, GateCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Every command takes --json (one JSON object as the last line of stdout), --threads N and --help.",
                "Exit status: 0 success, 1 a run failed (diverged, measurement failed), 2 invalid input."})
public final class RevBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, those of {@link CommandExtension}s on the class path included. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RevBench());
        for (CommandExtension extension : ServiceLoader.load(CommandExtension.class)) {
            extension.commands().forEach(cl::addSubcommand);
        }
        return cl;
    }

    /** The project version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RevBench.class.getPackage().getImplementationVersion();
            return new String[] {"revbench " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
