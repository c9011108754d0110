package io.srengine.cli;

import io.srengine.ModelMetadata;
import io.srengine.models.BundledModels;
import io.srengine.models.BundledModels.BundledModel;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the bundled pretrained models with what their metadata records. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the bundled pretrained models: scale, architecture, parameters, input range, source, licence.",
        subcommands = ModelsInspectCommand.class)
final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print every metadata entry of each model.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-18s %5s  %-15s %10s  %-11s %s%n", "NAME", "SCALE", "ARCH", "PARAMS", "INPUT", "SOURCE / LICENCE");
        for (BundledModel m : BundledModels.all()) {
            Map<String, String> md = m.metadata();
            String arch = md.getOrDefault(ModelMetadata.ARCHITECTURE, "?");
            String archShort = arch.contains(" ") ? arch.substring(0, arch.indexOf(' ')) : arch;
            out.printf("%-18s %5s  %-15s %10s  %-11s %s; %s%s%n",
                    m.name(),
                    "x" + md.getOrDefault(ModelMetadata.SCALE, String.valueOf(m.scale())),
                    archShort,
                    md.getOrDefault(ModelMetadata.PARAMETERS, "?"),
                    md.getOrDefault(ModelMetadata.INPUT_RANGE, "?"),
                    md.getOrDefault(ModelMetadata.SOURCE, "?"),
                    md.getOrDefault(ModelMetadata.LICENSE, "?"),
                    m.name().equals(BundledModels.DEFAULT) ? "  (default)" : "");
            if (verbose) {
                md.forEach((k, v) -> out.printf("    %-16s %s%n", k, v));
            }
        }
        out.flush();
        return 0;
    }
}
