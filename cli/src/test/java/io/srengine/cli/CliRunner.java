package io.srengine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the srengine command line in-process with a given subcommand instance, capturing its output. */
final class CliRunner {
    record Result(int code, String out, String err) {}

    private CliRunner() {}

    /** Like {@link Main#execute}, with the subcommand {@code name} replaced by the given instance. */
    static Result run(String name, Object command, String... args) {
        CommandLine cl = Main.newCommandLine();
        if (cl.getSubcommands().containsKey(name)) {
            cl.getCommandSpec().removeSubcommand(name);
        }
        cl.addSubcommand(name, command);
        // The handlers Main installs apply to subcommands present when they are set; set them again.
        CommandLine fresh = Main.newCommandLine();
        cl.setExecutionExceptionHandler(fresh.getExecutionExceptionHandler());
        cl.setParameterExceptionHandler(fresh.getParameterExceptionHandler());
        cl.setExecutionStrategy(fresh.getExecutionStrategy());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Result(code, out.toString(), err.toString());
    }
}
