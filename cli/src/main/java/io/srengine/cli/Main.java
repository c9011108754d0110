package io.srengine.cli;

import io.srengine.SrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code srengine} command: parses arguments, runs a subcommand, turns failures into exit codes. */
@Command(name = "srengine", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Super-resolution and image restoration inference on the JVM.",
        subcommands = {UpscaleCommand.class, EvalCommand.class, ModelsCommand.class, OnnxTestCommand.class,
                ConvertTfjsCommand.class, BackendsCommand.class, ExportOnnxCommand.class,
                TrtBuildCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad input: unreadable files, invalid models, wrong arguments. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status when a check ran and found failures (e.g. onnx-test cases failing). */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        // One line per log record ("INFO: backend cuda passed over: ..."), not the JDK's two-line default.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (testable without exiting the JVM). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof SrException se) {
                commandLine.getErr().println("srengine: " + se.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        // An OutOfMemoryError is an Error, which picocli lets through as a stack trace and exit 1; the
        // commands turn the ones they expect into SrException, and this catches the rest.
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (OutOfMemoryError e) {
                parseResult.commandSpec().commandLine().getErr().println("srengine: ran out of memory (Java heap limit "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB): raise it with SRENGINE_JAVA_OPTS=-Xmx4g (or more),"
                        + " or use smaller tiles (--tile)");
                return EXIT_BAD_INPUT;
            }
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("srengine: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** Version from the jar manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"srengine " + (v == null ? "development build" : v),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
