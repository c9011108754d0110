package io.srengine.cli;

import io.srengine.spi.BackendProvider;
import io.srengine.spi.Backends;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Lists installed backends, their priority and whether they can run here (and why not). */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the installed backends and whether each can run on this machine.")
final class BackendsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String chosen;
        try {
            chosen = Backends.select(null).name();
        } catch (io.srengine.SrException e) {
            chosen = null;
        }
        out.printf("%-10s %8s  %s%n", "BACKEND", "PRIORITY", "STATUS");
        for (BackendProvider p : Backends.providers()) {
            Optional<String> why = Backends.unavailableReason(p);
            String status = why.map(r -> "unavailable: " + r).orElse("available");
            if (p.name().equals(chosen)) {
                status += " (default)";
            }
            out.printf("%-10s %8d  %s%n", p.name(), p.priority(), status);
        }
        out.flush();
        return 0;
    }
}
