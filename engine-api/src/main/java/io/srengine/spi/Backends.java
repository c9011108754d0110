package io.srengine.spi;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backends and picks one. Selection, in order: the name the caller gives; else the system
 * property {@value #PROPERTY}; else the environment variable {@value #ENV}; else the available
 * backend with the highest priority. Every backend passed over is logged with the reason. Selection
 * creates nothing: it only asks providers whether they can run.
 */
public final class Backends {
    /** System property that forces a backend by name. */
    public static final String PROPERTY = "srengine.backend";
    /** Environment variable that forces a backend by name (the property wins over it). */
    public static final String ENV = "SRENGINE_BACKEND";
    /** Value of the property or variable that means "choose automatically". */
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger("io.srengine.backend");
    private static final Map<String, Optional<String>> REASONS = new ConcurrentHashMap<>();

    private Backends() {}

    /**
     * Every installed provider, highest priority first, then by name.
     *
     * @return a new list, available or not
     */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            list.add(p);
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return list;
    }

    /**
     * Why the provider cannot run here; asked once per provider name and remembered for the life of
     * the JVM. A probe that throws counts as unavailable. Thread-safe.
     *
     * @param p the provider
     * @return empty when it can run, else the reason
     */
    public static Optional<String> unavailableReason(BackendProvider p) {
        return REASONS.computeIfAbsent(p.name(), k -> {
            try {
                return p.unavailableReason();
            } catch (RuntimeException | LinkageError e) {
                return Optional.of("availability check failed: " + e);
            }
        });
    }

    /**
     * Every installed backend with its availability, in priority order.
     *
     * @return backend name to reason (empty means available)
     */
    public static Map<String, Optional<String>> availability() {
        Map<String, Optional<String>> m = new LinkedHashMap<>();
        for (BackendProvider p : providers()) {
            m.put(p.name(), unavailableReason(p));
        }
        return m;
    }

    /**
     * Picks a backend.
     *
     * @param requested a backend name, or null / "auto" to consult the property, the environment and
     *     then priorities; case does not matter
     * @return the chosen provider, which can run here
     * @throws SrException {@code BACKEND_UNAVAILABLE} when the named backend is unknown or cannot run
     *     here, with the reason, or when no backend at all can run
     */
    public static BackendProvider select(String requested) {
        String source = "requested";
        String name = blankToNull(requested);
        if (name == null) {
            name = blankToNull(System.getProperty(PROPERTY));
            source = "system property " + PROPERTY;
        }
        if (name == null) {
            name = blankToNull(System.getenv(ENV));
            source = "environment variable " + ENV;
        }
        List<BackendProvider> all = providers();
        if (name != null) {
            String wanted = name.toLowerCase(Locale.ROOT);
            for (BackendProvider p : all) {
                if (p.name().equals(wanted)) {
                    Optional<String> why = unavailableReason(p);
                    if (why.isPresent()) {
                        throw new SrException(ErrorCode.BACKEND_UNAVAILABLE,
                                "backend '" + wanted + "' (" + source + ") cannot run here: " + why.get());
                    }
                    LOG.log(Level.DEBUG, "backend {0} chosen by {1}", wanted, source);
                    return p;
                }
            }
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "no backend named '" + wanted + "' (" + source
                    + "); installed: " + all.stream().map(BackendProvider::name).toList());
        }
        for (BackendProvider p : all) {
            Optional<String> why = unavailableReason(p);
            if (why.isEmpty()) {
                LOG.log(Level.DEBUG, "backend {0} chosen by priority {1}", p.name(), p.priority());
                return p;
            }
            LOG.log(Level.INFO, "backend {0} passed over: {1}", p.name(), why.get());
        }
        throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "no backend can run here: " + availability());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equalsIgnoreCase(AUTO) ? null : s.trim();
    }
}
