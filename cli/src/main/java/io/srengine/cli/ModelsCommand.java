package io.srengine.cli;

import io.srengine.ModelMetadata;
import io.srengine.models.BundledModels;
import io.srengine.models.BundledModels.BundledModel;
import io.srengine.models.NcnnModels;
import io.srengine.models.NcnnModels.NcnnModel;
import io.srengine.formats.npm.PackageCache;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Lists the bundled models and the fetchable ones; {@code models fetch} downloads the latter and
 * {@code models inspect} describes a model file.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.Fetch.class, ModelsInspectCommand.class},
        description = {"List the bundled pretrained models (scale, architecture, parameters, input range, source, licence)"
                + " and the models `srengine models fetch` downloads, with whether they are in the cache."})
final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print every metadata entry of each bundled model.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-28s %5s  %-15s %10s  %-11s %s%n", "NAME", "SCALE", "ARCH", "PARAMS", "INPUT", "SOURCE / LICENCE");
        for (BundledModel m : BundledModels.all()) {
            Map<String, String> md = m.metadata();
            String arch = md.getOrDefault(ModelMetadata.ARCHITECTURE, "?");
            String archShort = arch.contains(" ") ? arch.substring(0, arch.indexOf(' ')) : arch;
            out.printf("%-28s %5s  %-15s %10s  %-11s %s; %s%s%n",
                    m.name(),
                    "x" + md.getOrDefault(ModelMetadata.SCALE, String.valueOf(m.scale())),
                    archShort,
                    md.getOrDefault(ModelMetadata.PARAMETERS, "?"),
                    md.getOrDefault(ModelMetadata.INPUT_RANGE, "?"),
                    md.getOrDefault(ModelMetadata.SOURCE, "?"),
                    md.getOrDefault(ModelMetadata.LICENSE, "?"),
                    m.name().equals(BundledModels.DEFAULT) ? "  (default)" : "");
            if (verbose) {
                md.forEach((k, v) -> out.printf("    %-26s %s%n", k, v));
            }
        }
        PackageCache cache = PackageCache.defaultCache();
        out.println();
        out.printf("Fetchable models (`srengine models fetch [NAME...]`, into %s):%n", cache.root());
        out.printf("%-33s %5s  %-12s %-11s %s%n", "NAME", "SCALE", "FAMILY", "STATUS", "DESCRIPTION");
        for (NcnnModel m : NcnnModels.all()) {
            out.printf("%-33s %5s  %-12s %-11s %s%n", m.name(), "x" + m.scale(), m.family().displayName(),
                    m.isFetched(cache) ? "fetched" : "not fetched", m.description());
        }
        out.flush();
        return 0;
    }

    /** {@code srengine models fetch [NAME...]}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download fetchable models (all of them when no name is given) with npm into the cache:"
                    + " $SRENGINE_CACHE, else ~/.cache/srengine. Each file is checked against its SHA-256 before it is kept."})
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Models to fetch (see `srengine models`).")
        List<String> names = List.of();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PackageCache cache = PackageCache.defaultCache();
            List<NcnnModel> got = NcnnModels.fetch(names, cache, line -> {
                out.println(line);
                out.flush();
            });
            for (NcnnModel m : got) {
                out.printf("%-33s fetched (%s)%n", m.name(), m.family().license());
            }
            out.flush();
            return 0;
        }
    }
}
