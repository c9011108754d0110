package io.srengine.video;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Which files the video path handles, by extension. */
public final class VideoFiles {
    /** Extensions of the containers srengine reads and writes video in. */
    public static final Set<String> EXTENSIONS = Set.of("mp4", "m4v", "mkv", "mov", "webm", "avi");

    private VideoFiles() {}

    /** Whether {@code p}'s extension names a video container (mp4, m4v, mkv, mov, webm, avi; any case). */
    public static boolean isVideo(Path p) {
        Path name = p.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
